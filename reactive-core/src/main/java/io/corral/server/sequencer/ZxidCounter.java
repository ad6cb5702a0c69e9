package io.corral.server.sequencer;

import io.corral.server.txn.TxnHeader;

/** The zxids this server issues: epoch and counter of the last one; the sequencer thread's only. */
final class ZxidCounter {
    private long epoch;
    private long counter;

    /** Zxids go on after {@code zxid} (the last recovered or installed one). */
    void continueAfter(long zxid) {
        epoch = TxnHeader.epochOf(zxid);
        counter = TxnHeader.counterOf(zxid);
    }

    /** A new leader: zxids continue in its epoch (after lastZxid if that is already in it). */
    void lead(long newEpoch, long lastZxid) {
        epoch = newEpoch;
        counter = TxnHeader.epochOf(lastZxid) == newEpoch ? TxnHeader.counterOf(lastZxid) : 0;
    }

    long next() {
        counter++;
        if (counter > 0xFFFFFFFFL) {
            // the counter half of the zxid is exhausted: move to the next epoch, as a new leader would
            epoch++;
            counter = 1;
        }
        return TxnHeader.makeZxid(epoch, counter);
    }

    /** The last zxid issued. */
    long last() {
        return TxnHeader.makeZxid(epoch, counter);
    }
}
