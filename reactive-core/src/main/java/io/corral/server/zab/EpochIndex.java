package io.corral.server.zab;

import java.util.Arrays;

/**
 * For each epoch of a history, the zxid of its last txn, ascending. Within an epoch every history holds a prefix of
 * the one sequence its leader proposed, so two histories share every txn up to min(end, other end) of any epoch they
 * both hold: that finds the exact point where they part, which zxids alone cannot.
 */
final class EpochIndex {

    private long[] ends = new long[8];
    private int size;

    /** records that the history now ends at {@code zxid} (greater than every zxid recorded) */
    void extend(long zxid) {
        if (size > 0 && Zxid.epoch(ends[size - 1]) == Zxid.epoch(zxid)) {
            ends[size - 1] = zxid;
            return;
        }
        if (size == ends.length) {
            ends = Arrays.copyOf(ends, size * 2);
        }
        ends[size++] = zxid;
    }

    /** the history was cut after {@code zxid} (0: emptied) */
    void truncate(long zxid) {
        long epoch = Zxid.epoch(zxid);
        while (size > 0 && Zxid.epoch(ends[size - 1]) >= epoch) {
            size--;
        }
        if (zxid != 0) {
            extend(zxid);
        }
    }

    /** the history is now a snapshot at {@code zxid} */
    void reset(long zxid) {
        size = 0;
        if (zxid != 0) {
            extend(zxid);
        }
    }

    long[] toArray() {
        return Arrays.copyOf(ends, size);
    }

    /** the last zxid of {@code epoch} in this history, or -1 if the history holds none of that epoch */
    long endOf(long epoch) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long e = Zxid.epoch(ends[mid]);
            if (e < epoch) {
                lo = mid + 1;
            } else if (e > epoch) {
                hi = mid - 1;
            } else {
                return ends[mid];
            }
        }
        return -1;
    }

    /**
     * How many txns this history holds after {@code zxid}, which it must hold (or be its base): a leader numbers its
     * proposals from counter 1 without gaps, and every history holds a prefix of each epoch's sequence, so the count
     * follows from the epoch ends alone.
     */
    long countAfter(long zxid) {
        long count = 0;
        for (int i = 0; i < size; i++) {
            long end = ends[i];
            if (end <= zxid) {
                continue;
            }
            count += Zxid.epoch(end) == Zxid.epoch(zxid) ? Zxid.counter(end) - Zxid.counter(zxid) : Zxid.counter(end);
        }
        return count;
    }

    /** the last zxid both this history and the one summarised by {@code otherEnds} hold (0 if none) */
    long commonPoint(long[] otherEnds) {
        long common = 0;
        for (long other : otherEnds) {
            long mine = endOf(Zxid.epoch(other));
            if (mine > 0) {
                common = Math.max(common, Math.min(mine, other));
            }
        }
        return common;
    }
}
