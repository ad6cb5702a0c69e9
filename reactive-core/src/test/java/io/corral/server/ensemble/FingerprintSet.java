package io.corral.server.ensemble;

/**
 * A set of 128-bit fingerprints (open addressing, linear probing), the memo of the linearizability search: one
 * entry per (set of linearized operations, register state) already explored. Two longs per entry instead of a
 * bit set per entry keeps thousands of operations per key cheap; a false "already seen" needs two independent
 * 64-bit hashes to collide at once.
 */
final class FingerprintSet {

    private long[] high;
    private long[] low;
    private int size;
    private int mask;

    FingerprintSet(int initialCapacity) {
        int capacity = Integer.highestOneBit(Math.max(16, initialCapacity) - 1) << 1;
        high = new long[capacity];
        low = new long[capacity];
        mask = capacity - 1;
    }

    int size() {
        return size;
    }

    /** Adds the fingerprint; false if it was already there. */
    boolean add(long h, long l) {
        if (h == 0 && l == 0) {
            l = 1; // (0, 0) marks an empty slot
        }
        if (size * 2 >= high.length) {
            grow();
        }
        int i = slot(h, l);
        while (high[i] != 0 || low[i] != 0) {
            if (high[i] == h && low[i] == l) {
                return false;
            }
            i = (i + 1) & mask;
        }
        high[i] = h;
        low[i] = l;
        size++;
        return true;
    }

    private int slot(long h, long l) {
        return (int) (h ^ (l >>> 29)) & mask;
    }

    private void grow() {
        long[] oldHigh = high;
        long[] oldLow = low;
        high = new long[oldHigh.length * 2];
        low = new long[oldLow.length * 2];
        mask = high.length - 1;
        for (int j = 0; j < oldHigh.length; j++) {
            if (oldHigh[j] != 0 || oldLow[j] != 0) {
                int i = slot(oldHigh[j], oldLow[j]);
                while (high[i] != 0 || low[i] != 0) {
                    i = (i + 1) & mask;
                }
                high[i] = oldHigh[j];
                low[i] = oldLow[j];
            }
        }
    }
}
