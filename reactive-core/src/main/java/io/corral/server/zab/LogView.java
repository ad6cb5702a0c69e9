package io.corral.server.zab;

import io.corral.log.LogEntry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The core's view of its own history: what {@link ZabStorage} holds durably, plus the entries it has asked the shell
 * to persist and not yet heard are durable (the shell appends asynchronously, so storage may lag behind). Every
 * change here is mirrored by an output the node emits.
 */
final class LogView {

    private final ZabStorage storage;
    /** entries emitted as Persist and not yet reported durable, in zxid order; all above {@link #persistedZxid} */
    private final ArrayDeque<LogEntry> unstable = new ArrayDeque<>();
    private final EpochIndex index = new EpochIndex();
    private long lastZxid;
    private long persistedZxid;

    /**
     * Indexes the durable history by seeking to each epoch's end ({@link #lastOfEpoch}: a few dozen short reads per
     * epoch instead of the whole log, which may hold hundreds of thousands of entries at start-up);
     * {@code appliedZxid} is the restored snapshot's.
     */
    LogView(ZabStorage storage, long appliedZxid) {
        this.storage = storage;
        long base = Math.max(appliedZxid, storage.snapshotZxid());
        boolean baseIndexed = base == 0;
        for (long first = firstAfter(0); first != 0; ) {
            long end = lastOfEpoch(first);
            if (!baseIndexed && Zxid.epoch(base) <= Zxid.epoch(end)) { // the base takes its place among the ends
                if (Zxid.epoch(base) < Zxid.epoch(end)) {
                    index.extend(base);
                } else {
                    end = Math.max(base, end);
                }
                baseIndexed = true;
            }
            index.extend(end);
            first = firstAfter(end);
        }
        if (!baseIndexed) {
            index.extend(base);
        }
        lastZxid = Math.max(storage.lastZxid(), base);
        persistedZxid = lastZxid;
    }

    /** The zxid of the first log entry after {@code zxid}, or 0 when there is none. */
    private long firstAfter(long zxid) {
        Iterator<LogEntry> it = storage.readAfter(zxid);
        try {
            return it.hasNext() ? it.next().zxid() : 0;
        } finally {
            close(it);
        }
    }

    /**
     * The zxid of the log's last entry in the epoch of {@code first}, one of its entries. A binary search over the
     * counter: "the log holds an entry of this epoch at or above counter c" holds for every c up to the end and for
     * none beyond, whether or not the log holds every counter in between.
     */
    private long lastOfEpoch(long first) {
        long epoch = Zxid.epoch(first);
        long historyEnd = storage.lastZxid();
        if (Zxid.epoch(historyEnd) == epoch) {
            return historyEnd; // the last epoch: the history's end (the snapshot's, if that is above the log)
        }
        long lo = Zxid.counter(first); // the log holds this counter
        long hi = Zxid.MAX_COUNTER; // and none above this one
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            long next = firstAfter(Zxid.make(epoch, mid) - 1);
            if (next != 0 && Zxid.epoch(next) == epoch) {
                lo = Zxid.counter(next);
            } else {
                hi = mid - 1;
            }
        }
        return Zxid.make(epoch, lo);
    }

    long lastZxid() {
        return lastZxid;
    }

    long persistedZxid() {
        return persistedZxid;
    }

    long[] epochEnds() {
        return index.toArray();
    }

    long commonPoint(long[] otherEnds) {
        return Math.min(index.commonPoint(otherEnds), lastZxid);
    }

    void append(LogEntry e) {
        if (e.zxid() <= lastZxid) {
            throw new IllegalStateException("append " + Zxid.toString(e.zxid()) + " after " + Zxid.toString(lastZxid));
        }
        unstable.addLast(e);
        index.extend(e.zxid());
        lastZxid = e.zxid();
    }

    void truncate(long zxid) {
        while (!unstable.isEmpty() && unstable.peekLast().zxid() > zxid) {
            unstable.pollLast();
        }
        index.truncate(zxid);
        lastZxid = zxid;
        persistedZxid = Math.min(persistedZxid, zxid);
    }

    void installSnapshot(long zxid) {
        unstable.clear();
        index.reset(zxid);
        lastZxid = zxid;
        persistedZxid = zxid;
    }

    /**
     * The shell reports the log durable up to {@code zxid}. Only a zxid this view still waits for counts: a late
     * report about an entry that a truncation has since removed is ignored.
     *
     * @return whether the durable point moved
     */
    boolean markPersisted(long zxid) {
        if (zxid <= persistedZxid || zxid > lastZxid) {
            return false;
        }
        boolean known = false;
        for (LogEntry e : unstable) {
            if (e.zxid() >= zxid) {
                known = e.zxid() == zxid;
                break;
            }
        }
        if (!known) {
            return false;
        }
        while (!unstable.isEmpty() && unstable.peekFirst().zxid() <= zxid) {
            unstable.pollFirst();
        }
        persistedZxid = zxid;
        return true;
    }

    /**
     * Whether every entry after {@code zxid} can still be read (not only in a snapshot). Judged from the log's first
     * entry, not from the snapshot the server started with alone: the log may have been purged past that since (its
     * old files go once newer snapshots exist), and the history's index tells whether that first entry is the one
     * after {@code zxid}.
     */
    boolean readableAfter(long zxid) {
        if (zxid >= persistedZxid) {
            return true;
        }
        long first = storage.firstZxid();
        if (first == 0) {
            return false;
        }
        return first <= zxid + 1
                || (zxid >= storage.snapshotZxid() && index.countAfter(zxid) == index.countAfter(first) + 1);
    }

    /** how many entries the history holds after {@code zxid} (which it holds, or is its base) */
    long countAfter(long zxid) {
        return index.countAfter(zxid);
    }

    /** entries appended but not reported durable yet */
    int unstableCount() {
        return unstable.size();
    }

    /**
     * The first entries after {@code zxid}, in order: at most {@code limit} of them, and past the first, at most
     * {@code maxBytes} of bodies. Reads the durable log lazily, so a batch costs what it holds, however long the log.
     */
    List<LogEntry> entriesAfter(long zxid, int limit, long maxBytes) {
        List<LogEntry> result = new ArrayList<>();
        long bytes = 0;
        long last = zxid;
        if (zxid < persistedZxid) {
            Iterator<LogEntry> it = storage.readAfter(zxid);
            try {
                while (it.hasNext() && result.size() < limit) {
                    LogEntry e = it.next();
                    if (e.zxid() > persistedZxid) {
                        break;
                    }
                    bytes += e.body().length;
                    if (!result.isEmpty() && bytes > maxBytes) {
                        return result;
                    }
                    result.add(e);
                    last = e.zxid();
                }
            } finally {
                close(it);
            }
        }
        for (LogEntry e : unstable) {
            if (result.size() >= limit) {
                break;
            }
            if (e.zxid() > last) {
                bytes += e.body().length;
                if (!result.isEmpty() && bytes > maxBytes) {
                    break;
                }
                result.add(e);
            }
        }
        return result;
    }

    private static void close(Iterator<LogEntry> it) {
        if (it instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing a log reader", e);
            }
        }
    }
}
