package io.corral.server.sequencer;

import io.corral.server.txn.Txn;
import io.corral.server.txn.TxnHeader;

/**
 * The quorum of a standalone server: itself. Without a transaction log (see README) a txn is committed as soon as
 * it is proposed; the sequencer still applies it after the batch that proposed it, as it will once it waits for
 * the log's sync.
 */
final class LocalQuorum implements Quorum {
    private long lastProposed;

    @Override
    public void propose(TxnHeader header, Txn txn) {
        lastProposed = header.zxid();
    }

    @Override
    public long committedZxid() {
        return lastProposed;
    }
}
