package io.corral.server.quorum;

import io.corral.log.CloseableIterator;
import io.corral.log.LogEntry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * A server's transaction log in the simulation, as the shell sees {@link LogAppender} over the real log: entries
 * handed over wait for the simulated disk, which writes a batch into the file (readable, not durable) and then syncs
 * it after a random delay (group commit); only then does {@link #durableZxid()} move. A stall holds every sync back
 * for a while. A crash loses everything not synced. {@link #readFrom} and {@link #truncateAfter} behave as
 * {@code TxnLog}'s: a lazy reader that starts with a binary search (learners hundreds of thousands of entries behind
 * are read a batch at a time), and a truncation that waits until everything handed over is durable — the server is
 * blocked meanwhile, which the simulation honours by not running it before {@link #blockedUntil()}.
 */
final class SimReplicaLog implements ReplicaLog {

    private static final Comparator<LogEntry> BY_ZXID = Comparator.comparingLong(LogEntry::zxid);
    private static final byte[] NO_BODY = new byte[0];

    private final SimClock clock;
    private final SplittableRandom rnd;
    private final int room;
    private final Runnable wake;
    /** handed over, not yet written */
    private final ArrayDeque<LogEntry> pending = new ArrayDeque<>();
    /** the file: written entries in zxid order; those up to {@link #durableZxid} are synced */
    private final ArrayList<LogEntry> file = new ArrayList<>();
    /** written entries whose sync is under way: file's last {@code syncing} entries */
    private int syncing;
    private long durableZxid;
    private long appendedZxid;
    private long stalledUntil;
    private long blockedUntil;
    /** a write or sync under way; bumped to forget one (a crash, a truncation) */
    private boolean diskBusy;
    private int diskToken;
    private int modifications;

    /** truncations so far (the simulation checks durability after each) */
    int truncations;

    /**
     * @param room entries that may wait for the disk before {@link #hasRoom()} says no
     * @param wake called when the log became durable further (the server's shell must poll)
     */
    SimReplicaLog(SimClock clock, SplittableRandom rnd, int room, Runnable wake) {
        this.clock = clock;
        this.rnd = rnd;
        this.room = room;
        this.wake = wake;
    }

    @Override
    public void append(LogEntry entry) {
        if (entry.zxid() <= appendedZxid || entry.zxid() <= lastZxid()) {
            throw new AssertionError("append 0x" + Long.toHexString(entry.zxid()) + " after 0x"
                    + Long.toHexString(Math.max(appendedZxid, lastZxid())));
        }
        pending.addLast(entry);
        appendedZxid = entry.zxid();
        startDisk();
    }

    @Override
    public long durableZxid() {
        return durableZxid;
    }

    @Override
    public long appendedZxid() {
        return appendedZxid;
    }

    @Override
    public boolean hasRoom() {
        return pending.size() + syncing <= room;
    }

    /** everything handed over is made durable first: the server waits for the disk, stalled or not */
    @Override
    public void truncateAfter(long zxid) {
        truncations++;
        if (!pending.isEmpty() || syncing > 0) {
            long done = Math.max(clock.now() + 1 + rnd.nextInt(1_000), stalledUntil);
            blockedUntil = Math.max(blockedUntil, done);
            file.addAll(pending);
            pending.clear();
            syncing = 0;
            durableZxid = file.get(file.size() - 1).zxid();
            diskBusy = false;
            diskToken++;
        }
        int keep = firstAfter(zxid);
        if (keep < file.size()) {
            file.subList(keep, file.size()).clear();
            modifications++;
        }
        long last = file.isEmpty() ? 0 : file.get(file.size() - 1).zxid();
        appendedZxid = Math.min(appendedZxid, last);
        durableZxid = Math.min(durableZxid, appendedZxid);
    }

    /** lazily: the written entries after {@code zxid} (from the oldest held, if {@code zxid} is older) */
    @Override
    public CloseableIterator<LogEntry> readFrom(long zxid) {
        int from = firstAfter(zxid);
        int expected = modifications;
        return new CloseableIterator<>() {
            private int next = from;

            @Override
            public boolean hasNext() {
                if (modifications != expected) {
                    throw new AssertionError("the log changed under a reader");
                }
                return next < file.size();
            }

            @Override
            public LogEntry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return file.get(next++);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public long firstZxid() {
        return file.isEmpty() ? 0 : file.get(0).zxid();
    }

    @Override
    public long lastZxid() {
        return file.isEmpty() ? 0 : file.get(file.size() - 1).zxid();
    }

    @Override
    public void close() {
    }

    // --- the simulated disk

    /** the disk makes nothing durable before {@code now + duration} */
    void stall(long durationMicros) {
        stalledUntil = Math.max(stalledUntil, clock.now() + durationMicros);
    }

    /** the disk works normally again */
    void endStall() {
        stalledUntil = Math.min(stalledUntil, clock.now());
        blockedUntil = Math.min(blockedUntil, clock.now());
    }

    boolean stalled() {
        return clock.now() < stalledUntil;
    }

    /** the server waits for a truncation until then */
    long blockedUntil() {
        return blockedUntil;
    }

    private void startDisk() {
        if (diskBusy || pending.isEmpty()) {
            return;
        }
        diskBusy = true;
        int token = ++diskToken;
        clock.schedule(rnd.nextInt(300), () -> {
            if (token != diskToken) {
                return;
            }
            // the writer takes everything handed over so far into the file, then syncs it
            syncing = pending.size();
            file.addAll(pending);
            pending.clear();
            long syncTime = 100 + (rnd.nextInt(10) < 9 ? rnd.nextInt(2_000) : rnd.nextInt(20_000));
            clock.schedule(syncTime, () -> synced(token));
        });
    }

    private void synced(int token) {
        if (token != diskToken) {
            return;
        }
        if (clock.now() < stalledUntil) {
            clock.schedule(Math.min(stalledUntil - clock.now(), SimClock.MILLI), () -> synced(token));
            return;
        }
        durableZxid = file.get(file.size() - 1).zxid();
        syncing = 0;
        diskBusy = false;
        wake.run();
        startDisk();
    }

    /** the machine crashed: what was not synced is gone; the log is reopened with what survived */
    void crash() {
        pending.clear();
        if (syncing > 0) {
            file.subList(file.size() - syncing, file.size()).clear();
            modifications++;
        }
        syncing = 0;
        diskBusy = false;
        diskToken++;
        blockedUntil = 0;
        long last = lastZxid();
        if (last > durableZxid) {
            throw new AssertionError("after a crash the log ends at 0x" + Long.toHexString(last)
                    + " but was durable up to 0x" + Long.toHexString(durableZxid));
        }
    }

    /** the log as a restarted server opens it (LogAppender's start: durable up to what it holds or applied) */
    void reopen(long appliedZxid) {
        durableZxid = Math.max(appliedZxid, lastZxid());
        appendedZxid = durableZxid;
    }

    /**
     * Deletes the synced entries up to {@code zxid}, as the purge after a local snapshot deletes old log files: never
     * the last entry (the newest file stays).
     */
    void purgeUpTo(long zxid) {
        int end = Math.min(firstAfter(Math.min(zxid, durableZxid)), file.size() - syncing - 1);
        if (end > 0) {
            file.subList(0, end).clear();
            modifications++;
        }
    }

    /** whether {@code e} is in the synced part of the log */
    boolean holdsDurably(LogEntry e) {
        if (e.zxid() > durableZxid) {
            return false;
        }
        int i = Collections.binarySearch(file, e, BY_ZXID);
        return i >= 0 && file.get(i).equals(e);
    }

    /** the index of the first written entry above {@code zxid} (zxids are unique: a binary search finds it) */
    private int firstAfter(long zxid) {
        int i = Collections.binarySearch(file, new LogEntry(zxid, 0, 0, 0, 0, NO_BODY), BY_ZXID);
        return i >= 0 ? i + 1 : -i - 1;
    }
}
