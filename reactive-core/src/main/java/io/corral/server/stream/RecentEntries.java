package io.corral.server.stream;

import io.corral.protocol.StreamChange;

import java.util.List;

/**
 * The last committed entries the live group read, decoded, so that a subscription that fell a little behind (its
 * connection was full for a moment) catches up from memory: no reader of the log of its own, no decoding of each
 * entry once per subscription. Whichever reader of the log reads an entry first (the live group, or the lagging
 * subscription furthest ahead) adds it; contiguous history only; bounded by count and by the bytes of data it holds.
 * The {@link StreamHub}'s thread only.
 */
final class RecentEntries {
    private static final int CHANGE_OVERHEAD = 64;

    private final int capacity;
    private final long maxBytes;
    private final long[] zxids;
    private final long[] times;
    private final int[] sizes;
    private final Object[] changes;
    /** Index of the oldest entry held, and how many are held. */
    private int first;
    private int count;
    private long bytes;
    /** The zxid right before the oldest entry held (its predecessor in the committed history). */
    private long before;

    RecentEntries(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.zxids = new long[capacity];
        this.times = new long[capacity];
        this.sizes = new int[capacity];
        this.changes = new Object[capacity];
    }

    /**
     * The entry that follows {@code previous}, read from the log: kept when it is the next one after the newest held;
     * ignored when it is not newer (held, or older: a reader far behind does not push the recent entries out); the
     * memory starts over from it when it is newer but not the next (a reader ahead of everything held).
     */
    void add(long previous, long zxid, long time, List<StreamChange> entryChanges) {
        if (count > 0 && zxid <= zxids[index(count - 1)]) {
            return;
        }
        if (count == 0 || zxids[index(count - 1)] != previous) {
            clear();
            before = previous;
        }
        int size = sizeOf(entryChanges);
        while (count > 0 && (count == capacity || bytes + size > maxBytes)) {
            dropOldest();
        }
        int i = index(count);
        zxids[i] = zxid;
        times[i] = time;
        sizes[i] = size;
        changes[i] = entryChanges;
        count++;
        bytes += size;
    }

    /** Position of the entry right after {@code after}, or -1 when that entry is not held. */
    int positionAfter(long after) {
        if (count == 0) {
            return -1;
        }
        if (after == before) {
            return 0;
        }
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long z = zxids[index(mid)];
            if (z == after) {
                return mid + 1 < count ? mid + 1 : -1;
            }
            if (z < after) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    /** How many entries are held: positions 0 (the oldest) to size() - 1. */
    int size() {
        return count;
    }

    long zxid(int position) {
        return zxids[index(position)];
    }

    long time(int position) {
        return times[index(position)];
    }

    @SuppressWarnings("unchecked")
    List<StreamChange> changes(int position) {
        return (List<StreamChange>) changes[index(position)];
    }

    void clear() {
        for (int p = 0; p < count; p++) {
            changes[index(p)] = null;
        }
        first = 0;
        count = 0;
        bytes = 0;
    }

    private void dropOldest() {
        before = zxids[first];
        bytes -= sizes[first];
        changes[first] = null;
        first = (first + 1) % capacity;
        count--;
    }

    private int index(int position) {
        return (first + position) % capacity;
    }

    private static int sizeOf(List<StreamChange> entryChanges) {
        int size = 0;
        for (StreamChange change : entryChanges) {
            size += CHANGE_OVERHEAD + change.path().length() + (change.data() == null ? 0 : change.data().length);
        }
        return size;
    }
}
