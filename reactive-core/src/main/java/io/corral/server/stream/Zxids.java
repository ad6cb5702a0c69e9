package io.corral.server.stream;

import io.corral.server.txn.TxnHeader;

/** Continuity of the committed history: every txn consumes a zxid, and each epoch's first txn has counter 1. */
final class Zxids {
    private Zxids() {
    }

    /** Whether {@code next} can be the committed txn right after {@code previous} (0: before the first). */
    static boolean follows(long previous, long next) {
        return next == previous + 1
                || TxnHeader.counterOf(next) == 1 && TxnHeader.epochOf(next) > TxnHeader.epochOf(previous);
    }

    /**
     * Whether a log whose oldest entry is {@code first} (0: empty) holds every committed txn after {@code after},
     * for a server that applied up to {@code applied}. Strict at the oldest entry: an epoch boundary there could
     * hide purged txns, so only the txn right before it, or a log that starts at the very first txn, qualifies.
     */
    static boolean retained(long after, long first, long applied) {
        if (after >= applied) {
            return true;
        }
        if (first == 0) {
            return false;
        }
        return after >= first || after + 1 == first
                || after == 0 && TxnHeader.counterOf(first) == 1 && TxnHeader.epochOf(first) <= 1;
    }
}
