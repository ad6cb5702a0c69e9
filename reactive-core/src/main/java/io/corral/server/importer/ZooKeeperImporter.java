package io.corral.server.importer;

import io.corral.server.tree.TreeDigest;
import io.corral.server.txn.TxnHeader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Imports a ZooKeeper 3.5-3.9 data directory into a new Corral data directory, the way ZooKeeper itself loads it:
 * the newest snapshot that reads whole (older ones are fallbacks, each skip reported), then every txn logged after
 * it, in zxid order, applied with ZooKeeper's semantics. The result is checked against the tree digest ZooKeeper
 * logged after the last txn (3.6+), written, loaded back and compared; nothing is written unless all of that holds.
 */
final class ZooKeeperImporter {
    private final ZkDataDirectory source;
    private final ImportReport report = new ImportReport();

    private ZooKeeperImporter(ZkDataDirectory source) {
        this.source = source;
    }

    /** @throws IOException naming the file and offset of whatever could not be read, or what did not verify */
    static ImportReport run(Path zkDataDir, Path zkLogDir, Path target) throws IOException {
        CorralDataDirectoryWriter.checkTarget(target);
        ZooKeeperImporter importer = new ZooKeeperImporter(ZkDataDirectory.of(zkDataDir, zkLogDir));
        return importer.run(target);
    }

    private ImportReport run(Path target) throws IOException {
        long started = System.nanoTime();
        ZkSnapshot snapshot = newestValidSnapshot();
        report.snapshot = snapshot;
        long read = System.nanoTime();
        ZkTree tree = snapshot.tree();
        Map<Long, Integer> sessions = snapshot.sessions();
        long last = replayLogs(snapshot, new ZkReplay(tree, sessions));
        report.lastZxid = last;
        report.orphanEphemerals = removeOrphanEphemerals(tree, sessions, last);
        report.fingerprint = TreeFingerprint.of(tree);
        report.sessions = sessions.size();
        long replayed = System.nanoTime();
        report.written = CorralDataDirectoryWriter.write(tree, sessions, last, target, report.fingerprint);
        report.phases = String.format("snapshot read in %d ms, logs replayed and checked in %d ms, written and "
                + "verified in %d ms", (read - started) / 1_000_000, (replayed - read) / 1_000_000,
                (System.nanoTime() - replayed) / 1_000_000);
        return report;
    }

    private ZkSnapshot newestValidSnapshot() throws IOException {
        List<Path> candidates = source.snapshotsNewestFirst();
        for (Path file : candidates) {
            try {
                return ZkSnapshotReader.read(file);
            } catch (ZooKeeperFileException e) {
                report.skippedSnapshots.add(e.getMessage());
            }
        }
        throw new IOException(candidates.isEmpty() ? "no snapshot in " + source.snapshotDir()
                : "no valid snapshot in " + source.snapshotDir() + ": " + String.join("; ", report.skippedSnapshots));
    }

    /** Applies every txn after the snapshot; returns the last zxid applied (the snapshot's when none). */
    private long replayLogs(ZkSnapshot snapshot, ZkReplay replay) throws IOException {
        long last = snapshot.zxid();
        ZkTxn lastTxn = null;
        List<Path> logs = source.logsAfter(snapshot.zxid());
        for (Path file : logs) {
            if (file.equals(logs.get(logs.size() - 1)) && Files.size(file) == 0) {
                // ZooKeeper deletes such a file when it starts: created, then a crash before its header
                report.emptyLastLog = file;
                continue;
            }
            try (ZkTxnLogFile log = ZkTxnLogFile.open(file)) {
                long first = -1;
                long fileLast = -1;
                int txns = 0;
                int applied = 0;
                ZkTxnLogFile.Record record;
                while ((record = log.next()) != null) {
                    ZkTxn txn = decode(record);
                    txns++;
                    if (first < 0) {
                        first = txn.zxid();
                    }
                    if (txn.zxid() <= fileLast) {
                        throw new ZooKeeperFileException(file, record.offset(), "txn 0x" + Long.toHexString(txn.zxid())
                                + " follows 0x" + Long.toHexString(fileLast) + ": out of order");
                    }
                    fileLast = txn.zxid();
                    if (txn.zxid() <= snapshot.zxid()) {
                        continue;
                    }
                    checkFollows(last, txn, record);
                    apply(replay, txn, record);
                    last = txn.zxid();
                    lastTxn = txn;
                    applied++;
                }
                report.logFiles.add(new ImportReport.LogFile(file, first, fileLast, txns, applied, log.tornAt(),
                        log.tornReason()));
                report.txnsApplied += applied;
            }
        }
        checkDigest(snapshot, lastTxn, last);
        return last;
    }

    private static ZkTxn decode(ZkTxnLogFile.Record record) throws ZooKeeperFileException {
        try {
            return ZkTxnDecoder.decode(record.bytes());
        } catch (RuntimeException e) {
            throw new ZooKeeperFileException(record.file(), record.offset(), "the txn record (its checksum matches) "
                    + "does not decode: " + e.getMessage(), e);
        }
    }

    private static void apply(ZkReplay replay, ZkTxn txn, ZkTxnLogFile.Record record) throws ZooKeeperFileException {
        try {
            replay.apply(txn);
        } catch (RuntimeException e) {
            throw new ZooKeeperFileException(record.file(), record.offset(), "txn 0x" + Long.toHexString(txn.zxid())
                    + " cannot be applied: " + e.getMessage(), e);
        }
    }

    /**
     * Within an epoch ZooKeeper logs every zxid, so a jump means lost txns (a purged or damaged log file); a new
     * epoch starts its own count.
     */
    private static void checkFollows(long previous, ZkTxn txn, ZkTxnLogFile.Record record)
            throws ZooKeeperFileException {
        long zxid = txn.zxid();
        boolean sameEpoch = TxnHeader.epochOf(zxid) == TxnHeader.epochOf(previous);
        if (zxid <= previous || (sameEpoch && zxid != previous + 1)) {
            throw new ZooKeeperFileException(record.file(), record.offset(), "txn 0x" + Long.toHexString(zxid)
                    + " follows 0x" + Long.toHexString(previous) + ": the txns between them are missing (a purged, "
                    + "torn or damaged log file?)");
        }
    }

    /** Compares the tree with the digest ZooKeeper recorded for the last zxid, when it recorded one. */
    private void checkDigest(ZkSnapshot snapshot, ZkTxn lastTxn, long last) throws IOException {
        long expected;
        String source;
        if (lastTxn != null && lastTxn.digestVersion() == TreeDigest.VERSION) {
            expected = lastTxn.treeDigest();
            source = "the txn log";
        } else if (lastTxn == null && snapshot.digestVersion() == TreeDigest.VERSION
                && snapshot.digestZxid() == last) {
            expected = snapshot.digest();
            source = "the snapshot";
        } else {
            return;
        }
        long actual = TreeFingerprint.of(snapshot.tree()).zkDigest();
        if (actual != expected) {
            throw new IOException("the imported tree's digest " + Long.toHexString(actual) + " differs from the digest "
                    + Long.toHexString(expected) + " ZooKeeper recorded in " + source + " for zxid 0x"
                    + Long.toHexString(last) + ": nothing written");
        }
        report.digestCheck = "matches the digest ZooKeeper recorded in " + source + " for zxid 0x"
                + Long.toHexString(last) + " (" + Long.toHexString(expected) + ")";
    }

    /**
     * Deletes the ephemerals whose session is not in the session table, as ZooKeeper does when it loads its data
     * (those sessions ended without a closeSession in the log, e.g. expired before a crash).
     */
    private static List<String> removeOrphanEphemerals(ZkTree tree, Map<Long, Integer> sessions, long zxid) {
        List<String> orphans = new ArrayList<>();
        for (long owner : tree.ephemeralOwners()) {
            if (!sessions.containsKey(owner)) {
                orphans.addAll(tree.ephemeralsOf(owner));
            }
        }
        for (String path : orphans) {
            tree.delete(path, zxid);
        }
        return orphans;
    }
}
