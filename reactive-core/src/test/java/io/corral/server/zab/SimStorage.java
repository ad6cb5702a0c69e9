package io.corral.server.zab;

import io.corral.log.LogEntry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * A server's disk in the simulation: a snapshot, a durable log and a volatile tail that a crash loses. Appends land
 * in the tail and become durable when the simulated disk flushes; truncations, snapshot installs and epochs are
 * durable at once (the shell performs them synchronously).
 */
final class SimStorage implements ZabStorage {

    private static final Comparator<LogEntry> BY_ZXID = Comparator.comparingLong(LogEntry::zxid);

    private final List<LogEntry> durable = new ArrayList<>();
    private final List<LogEntry> tail = new ArrayList<>();
    private List<LogEntry> snapshot = List.of();
    private long snapshotZxid;
    private long acceptedEpoch;
    private long currentEpoch;

    @Override
    public long lastZxid() {
        long last = !tail.isEmpty() ? tail.get(tail.size() - 1).zxid()
                : !durable.isEmpty() ? durable.get(durable.size() - 1).zxid() : 0;
        return Math.max(last, snapshotZxid);
    }

    @Override
    public long firstZxid() {
        return !durable.isEmpty() ? durable.get(0).zxid() : !tail.isEmpty() ? tail.get(0).zxid() : 0;
    }

    @Override
    public long snapshotZxid() {
        return snapshotZxid;
    }

    /** lazily, from the first entry after {@code zxid} (found by binary search): a batch costs what it reads */
    @Override
    public Iterator<LogEntry> readAfter(long zxid) {
        List<LogEntry> durablePart = durable.subList(firstAfter(durable, zxid), durable.size());
        List<LogEntry> tailPart = tail.subList(firstAfter(tail, zxid), tail.size());
        Iterator<LogEntry> a = durablePart.iterator();
        Iterator<LogEntry> b = tailPart.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return a.hasNext() || b.hasNext();
            }

            @Override
            public LogEntry next() {
                return a.hasNext() ? a.next() : b.next();
            }
        };
    }

    /** The index of the first of {@code entries} (in zxid order) above {@code zxid}, or their size. */
    static int firstAfter(List<LogEntry> entries, long zxid) {
        int lo = 0;
        int hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entries.get(mid).zxid() <= zxid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public long acceptedEpoch() {
        return acceptedEpoch;
    }

    @Override
    public long currentEpoch() {
        return currentEpoch;
    }

    List<LogEntry> snapshot() {
        return snapshot;
    }

    boolean hasVolatileTail() {
        return !tail.isEmpty();
    }

    void append(LogEntry e) {
        if (e.zxid() <= lastZxid()) {
            throw new AssertionError("log order: append " + Zxid.toString(e.zxid()) + " after "
                    + Zxid.toString(lastZxid()));
        }
        tail.add(e);
    }

    /** makes the volatile tail durable; returns the zxid it ends at */
    long flush() {
        long last = tail.get(tail.size() - 1).zxid();
        durable.addAll(tail);
        tail.clear();
        return last;
    }

    void truncate(long afterZxid) {
        durable.removeIf(e -> e.zxid() > afterZxid);
        tail.removeIf(e -> e.zxid() > afterZxid);
    }

    void installSnapshot(long zxid, List<LogEntry> state) {
        snapshot = List.copyOf(state);
        snapshotZxid = zxid;
        durable.clear();
        tail.clear();
    }

    /** a local snapshot of the applied state, and a purge of the durable log it covers */
    void compact(List<LogEntry> applied) {
        if (applied.isEmpty()) {
            return;
        }
        long zxid = applied.get(applied.size() - 1).zxid();
        if (zxid <= snapshotZxid) {
            return;
        }
        snapshot = List.copyOf(applied);
        snapshotZxid = zxid;
        durable.removeIf(e -> e.zxid() <= zxid);
    }

    void persistEpochs(long accepted, long current) {
        acceptedEpoch = accepted;
        currentEpoch = current;
    }

    void crash() {
        tail.clear();
    }

    /** whether {@code e} survives a crash here */
    boolean holdsDurably(LogEntry e) {
        if (e.zxid() <= snapshotZxid) {
            int i = Collections.binarySearch(snapshot, e, BY_ZXID);
            if (i >= 0) {
                return snapshot.get(i).equals(e);
            }
        }
        int i = Collections.binarySearch(durable, e, BY_ZXID);
        return i >= 0 && durable.get(i).equals(e);
    }
}
