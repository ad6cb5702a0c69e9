package io.corral.server.config;

/**
 * The folders a server keeps its state in: snapshots under {@code dataDir}, the txn log under {@code dataLogDir}. The
 * server, its offline tools, the importer and the class archive's training run all find them by these names.
 */
public final class DataDirectories {

    /** snapshot files, under {@code dataDir} */
    public static final String SNAPSHOTS = "snapshots";
    /** the txn log's files, under {@code dataLogDir} */
    public static final String TXN_LOG = "txnlog";

    private DataDirectories() {
    }
}
