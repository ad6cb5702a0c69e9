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

    /** reads the durable history once (to build the epoch index); {@code appliedZxid} is the restored snapshot's */
    LogView(ZabStorage storage, long appliedZxid) {
        this.storage = storage;
        long base = Math.max(appliedZxid, storage.snapshotZxid());
        boolean baseSeen = base == 0;
        Iterator<LogEntry> it = storage.readAfter(0);
        try {
            while (it.hasNext()) {
                long zxid = it.next().zxid();
                if (!baseSeen && zxid >= base) {
                    if (zxid > base) {
                        index.extend(base);
                    }
                    baseSeen = true;
                }
                index.extend(zxid);
            }
        } finally {
            close(it);
        }
        if (!baseSeen) {
            index.extend(base);
        }
        lastZxid = Math.max(storage.lastZxid(), base);
        persistedZxid = lastZxid;
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
