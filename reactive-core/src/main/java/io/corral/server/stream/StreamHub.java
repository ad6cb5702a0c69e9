package io.corral.server.stream;

import io.corral.log.CloseableIterator;
import io.corral.log.LogEntry;
import io.corral.log.TxnLog;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.StreamChange;
import io.corral.protocol.StreamFrame;
import io.corral.server.txn.Txn;
import io.corral.server.txn.TxnCodec;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Serves the resumable watch streams from the txn log, on a thread of its own (never an event loop, never the
 * sequencer): the log is the one source of both history and live changes, so switching from one to the other can
 * neither skip nor repeat a txn.
 *
 * <p>Subscriptions that are caught up share one reader of the log (the live group): each committed entry is read and
 * decoded once and offered to all of them. A subscription whose connection cannot take more (its stream queue is at
 * its bound) leaves the group where it stands; it reads the log on its own reader later, as fast as its connection
 * takes frames, and rejoins the group when it reaches it. Nothing is buffered for a subscriber beyond its
 * connection's bounded stream queue, so a lagging subscriber costs a log reader, not memory.
 *
 * <p>Only entries the server has applied are sent (an entry in the log may not be committed yet); when the log's
 * history is replaced (a truncation, a snapshot from the leader), every reader is reopened where its stream stands.
 */
public final class StreamHub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamHub.class);
    /** Commands waiting for the hub's thread; the sequencer answers THROTTLEDOP when they are this many. */
    private static final int COMMANDS = 4096;
    /** Entries the live group reads per round, and a lagging subscription reads per turn. */
    private static final int LIVE_BUDGET = 4096;
    private static final int CATCH_UP_BUDGET = 256;
    /** Entries a subscription takes from {@link #recent} per turn (no log read, no decoding: cheap). */
    private static final int RECENT_BUDGET = 1024;
    /** The recent entries kept decoded: at most this many, holding at most this many bytes of changes. */
    private static final int RECENT_ENTRIES = 8192;
    private static final long RECENT_BYTES = 16L << 20;
    /** A caught-up subscription that saw no change of its own for this long hears how far its stream got. */
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The idle wait when an applied entry is not in this server's log yet (a follower's log writer is behind). */
    private static final long LOG_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** The idle wait with subscriptions: their progress notices are due every {@link #PROGRESS_NANOS}. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /**
     * The idle wait without any: nothing is due until a command or a change of history wakes the hub; a safety net
     * (an idle server's hub woke five times a second, a quarter of the server's own idle CPU).
     */
    private static final long UNSUBSCRIBED_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** What a turn of catching up left a lagging subscription as. */
    private static final int STILL_BEHIND = 0;
    private static final int JOINED = 1;
    private static final int ENDED = 2;

    private sealed interface Command {
    }

    private record Subscribe(Subscription subscription) implements Command {
    }

    private record Unsubscribe(StreamSink sink, int id) implements Command {
    }

    private record Closed(StreamSink sink) implements Command {
    }

    private final TxnLog txnLog;
    private final MpscArrayQueue<Command> commands = new MpscArrayQueue<>(COMMANDS);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean parked;
    /** A wake-up since the round began: the hub does not park (no wake-up is lost between its checks and park). */
    private volatile boolean woken;
    private volatile long applied;
    private volatile long generation;
    /** No stream starts before this zxid: the history up to it is not the present state's (a restore replaced it). */
    private volatile long floor;
    private volatile int subscriptionCount;

    // --- the hub's thread only ---
    private final List<Subscription> live = new ArrayList<>();
    private final List<Subscription> behind = new ArrayList<>();
    private LogCursor liveCursor;
    private final RecentEntries recent = new RecentEntries(RECENT_ENTRIES, RECENT_BYTES);
    private long seenGeneration;
    private long seenFloor;
    private long lastProgressScan = System.nanoTime();
    /** Entries the lagging subscriptions read this round. */
    private int caughtUp;

    public StreamHub(TxnLog txnLog, long appliedZxid) {
        this.txnLog = txnLog;
        this.applied = appliedZxid;
        this.thread = new Thread(this::run, "corral-streams");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    // --- from other threads ---

    /**
     * Registers a subscription that has sent everything up to {@code after}; false when too many commands wait
     * (the caller answers THROTTLEDOP). Its frames follow whatever the caller queued on the connection before.
     */
    public boolean subscribe(StreamSink sink, int id, String path, boolean recursive, boolean withData,
                             boolean withStat, long after) {
        return offer(new Subscribe(new Subscription(sink, id, path, recursive, withData, withStat, after)));
    }

    /**
     * Whether a command can be queued now. The sequencer is the only thread that queues commands, so a yes holds
     * until it queues one.
     */
    public boolean hasRoom() {
        return commands.size() < COMMANDS;
    }

    public boolean unsubscribe(StreamSink sink, int id) {
        return offer(new Unsubscribe(sink, id));
    }

    /** The connection is gone: its subscriptions end (they are never refused: they free what they hold). */
    public void closed(StreamSink sink) {
        while (!commands.offer(new Closed(sink)) && running) {
            Thread.onSpinWait(); // only while the hub works through a full queue of commands
        }
        wake();
    }

    /** The sequencer applied everything up to zxid (committed): the streams may send it. */
    public void applied(long zxid) {
        if (zxid != applied) {
            applied = zxid;
            if (subscriptionCount > 0) {
                wake();
            }
        }
    }

    /**
     * The log dropped entries (a truncation, or all of them for a snapshot from the leader); called after the log
     * changed and before anything newer is applied. Entries read ahead may be gone: every reader starts again.
     */
    public void historyReplaced() {
        generation++;
        wake();
    }

    /**
     * The state was replaced by one whose history before {@code zxid} is not in this log's past (a restored backup):
     * every stream from before it ends with HISTORY_COMPACTED, and none starts before it again, although the log
     * still holds the replaced txns. Called before {@link #applied} moves past zxid.
     */
    public void historyStartsAt(long zxid) {
        if (zxid > floor) {
            floor = zxid;
            wake();
        }
    }

    /**
     * The server loaded its state from a snapshot at {@code zxid}: when its log does not hold that txn, the state
     * did not come from the log's history (a restore, or a leader's snapshot), and streams start at zxid at the
     * earliest. Once, before {@link #start()}.
     */
    public void stateLoaded(long zxid) {
        if (zxid <= 0) {
            return;
        }
        try (CloseableIterator<LogEntry> entries = txnLog.readFrom(zxid - 1)) {
            if (!entries.hasNext() || entries.next().zxid() != zxid) {
                historyStartsAt(zxid);
            }
        }
    }

    /**
     * Whether the log holds every committed change after {@code after} on a server that applied up to
     * {@code appliedZxid} (a stream may start there).
     */
    public boolean retains(long after, long appliedZxid) {
        return after >= floor && Zxids.retained(after, txnLog.firstZxid(), appliedZxid);
    }

    /** A connection's stream queue has room again, or work arrived. */
    public void wake() {
        woken = true;
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    private boolean offer(Command command) {
        if (!commands.offer(command)) {
            return false;
        }
        wake();
        return true;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- the hub's thread ---

    private void run() {
        while (running) {
            boolean worked;
            boolean waitingForLog;
            woken = false;
            try {
                worked = commands.drain(this::execute, COMMANDS) > 0;
                long upTo = applied;
                if (generation != seenGeneration) { // read after applied: see historyReplaced
                    seenGeneration = generation;
                    reopenAll();
                }
                if (floor != seenFloor) { // read after applied: see historyStartsAt
                    seenFloor = floor;
                    endBefore(seenFloor);
                }
                worked |= advanceLive(upTo);
                waitingForLog = !live.isEmpty() && liveCursor.at() < upTo;
                caughtUp = 0;
                int before = behind.size();
                for (int i = 0; i < behind.size(); i++) {
                    Subscription s = behind.get(i);
                    int outcome = catchUp(s, upTo);
                    if (outcome != STILL_BEHIND) {
                        behind.remove(i--);
                    }
                    waitingForLog |= outcome == STILL_BEHIND && s.after < upTo && s.sink.streamWritable();
                }
                worked |= behind.size() != before || caughtUp > 0;
                worked |= progress(upTo);
            } catch (RuntimeException | Error e) {
                log.error("The stream hub failed; ending every subscription", e);
                failAll(ErrorCode.SYSTEM_ERROR);
                worked = false;
                waitingForLog = false;
            }
            subscriptionCount = live.size() + behind.size();
            if (!worked) {
                parked = true;
                if (!woken && commands.isEmpty() && running) {
                    LockSupport.parkNanos(this, waitingForLog ? LOG_WAIT_NANOS
                            : subscriptionCount == 0 ? UNSUBSCRIBED_NANOS : IDLE_NANOS);
                }
                parked = false;
            }
        }
        failAll(ErrorCode.CONNECTION_LOSS);
    }

    private void execute(Command command) {
        if (command instanceof Subscribe subscribe) {
            Subscription s = subscribe.subscription();
            remove(s.sink, s.id);
            behind.add(s);
        } else if (command instanceof Unsubscribe unsubscribe) {
            remove(unsubscribe.sink(), unsubscribe.id());
        } else if (command instanceof Closed closed) {
            removeAll(closed.sink());
        }
        subscriptionCount = live.size() + behind.size();
    }

    private void remove(StreamSink sink, int id) {
        removeIf(s -> s.sink == sink && s.id == id);
    }

    private void removeAll(StreamSink sink) {
        removeIf(s -> s.sink == sink);
    }

    private void removeIf(Predicate<Subscription> which) {
        behind.removeIf(s -> {
            if (which.test(s)) {
                s.closeCursor();
                return true;
            }
            return false;
        });
        live.removeIf(which);
        if (live.isEmpty()) {
            closeLiveCursor();
        }
    }

    /** Every reader starts again where its stream stands. */
    private void reopenAll() {
        recent.clear();
        for (Subscription s : behind) {
            s.closeCursor();
        }
        behind.addAll(live);
        live.clear();
        closeLiveCursor();
    }

    /** The streams that stand before the floor end: what follows them in the log is a replaced history. */
    private void endBefore(long zxid) {
        recent.clear();
        removeIf(s -> {
            if (s.after < zxid) {
                fail(s, ErrorCode.HISTORY_COMPACTED, "its history before 0x" + Long.toHexString(zxid)
                        + " was replaced by a restore");
                return true;
            }
            return false;
        });
    }

    private void closeLiveCursor() {
        if (liveCursor != null) {
            liveCursor.close();
            liveCursor = null;
        }
    }

    /** The live group reads the committed entries once each and offers them to all its members. */
    private boolean advanceLive(long upTo) {
        if (live.isEmpty()) {
            return false;
        }
        int budget = LIVE_BUDGET;
        boolean worked = false;
        while (budget-- > 0 && !live.isEmpty()) {
            LogEntry entry;
            long previous = liveCursor.at();
            try {
                entry = liveCursor.next(upTo);
            } catch (LogCursor.GapException e) {
                for (Subscription s : live) {
                    fail(s, ErrorCode.HISTORY_COMPACTED, e.getMessage());
                }
                live.clear();
                closeLiveCursor();
                return true;
            }
            if (entry == null) {
                break;
            }
            worked = true;
            List<StreamChange> changes = changesOf(entry);
            recent.add(previous, entry.zxid(), entry.time(), changes);
            Iterator<Subscription> it = live.iterator();
            while (it.hasNext()) {
                Subscription s = it.next();
                if (!offer(s, entry.zxid(), entry.time(), changes)) {
                    it.remove(); // its connection is full: it goes on from where it stands, on a reader of its own
                    behind.add(s);
                }
            }
        }
        if (live.isEmpty()) {
            closeLiveCursor();
        }
        return worked;
    }

    /**
     * A lagging subscription catches up while its connection takes frames: from the recent entries when they hold
     * where it stands, else on its own reader of the log.
     */
    private int catchUp(Subscription s, long upTo) {
        if (liveCursor != null && s.after == liveCursor.at()) {
            s.closeCursor();
            live.add(s);
            return JOINED;
        }
        int position = recent.positionAfter(s.after);
        if (position >= 0) {
            s.closeCursor();
            return catchUpFromRecent(s, position);
        }
        if (s.cursor == null) {
            if (!retains(s.after, upTo)) {
                fail(s, ErrorCode.HISTORY_COMPACTED, "the log's oldest txn is 0x"
                        + Long.toHexString(txnLog.firstZxid()) + ", the present history starts at 0x"
                        + Long.toHexString(floor));
                return ENDED;
            }
            s.cursor = new LogCursor(txnLog, s.after);
        }
        int budget = CATCH_UP_BUDGET;
        while (budget-- > 0 && s.sink.streamWritable()) {
            LogEntry entry;
            long previous = s.cursor.at();
            try {
                entry = s.cursor.next(upTo);
            } catch (LogCursor.GapException e) {
                s.closeCursor();
                fail(s, ErrorCode.HISTORY_COMPACTED, e.getMessage());
                return ENDED;
            }
            if (entry == null) {
                break;
            }
            caughtUp++;
            List<StreamChange> changes = changesOf(entry);
            recent.add(previous, entry.zxid(), entry.time(), changes); // the subscriptions behind it read it there
            if (!offer(s, entry.zxid(), entry.time(), changes)) {
                break; // cannot happen after streamWritable, but keeps the stream exact if it does
            }
            if (liveCursor != null && s.after == liveCursor.at()) {
                break;
            }
        }
        if (liveCursor != null && s.after == liveCursor.at()) {
            s.closeCursor();
            live.add(s);
            return JOINED;
        }
        if (liveCursor == null && s.after == upTo) {
            liveCursor = s.cursor; // the first caught-up subscription's reader becomes the live group's
            s.cursor = null;
            live.add(s);
            return JOINED;
        }
        return STILL_BEHIND;
    }

    /** The recent entries after where s stands, while its connection takes them; it joins the live group there. */
    private int catchUpFromRecent(Subscription s, int position) {
        int budget = RECENT_BUDGET;
        for (int p = position; p < recent.size() && budget-- > 0; p++) {
            if (!offer(s, recent.zxid(p), recent.time(p), recent.changes(p))) {
                break;
            }
            caughtUp++;
        }
        if (liveCursor != null && s.after == liveCursor.at()) {
            live.add(s);
            return JOINED;
        }
        return STILL_BEHIND;
    }

    /** Sends the entry's changes that s covers; false (nothing sent) when its connection has no room. */
    private static boolean offer(Subscription s, long zxid, long time, List<StreamChange> changes) {
        StreamFrame frame = changes.isEmpty() ? null : s.frameOf(zxid, time, changes);
        if (frame == null) {
            s.after = zxid;
            return true;
        }
        if (!s.sink.streamWritable()) {
            return false;
        }
        s.sink.sendStream(frame);
        s.sent(zxid);
        return true;
    }

    private static List<StreamChange> changesOf(LogEntry entry) {
        Txn txn = TxnCodec.decode(entry.body());
        return TxnChanges.of(txn, entry.zxid(), entry.time());
    }

    /**
     * Once a second, a caught-up subscription whose last frame is older than a second hears how far it got (an empty
     * frame), so that its client resumes from there and not from a zxid the log may have dropped meanwhile.
     */
    private boolean progress(long upTo) {
        long now = System.nanoTime();
        if (now - lastProgressScan < PROGRESS_NANOS) {
            return false;
        }
        lastProgressScan = now;
        for (Subscription s : live) {
            if (s.lastSent < s.after && now - s.lastSentNanos >= PROGRESS_NANOS && s.sink.streamWritable()) {
                s.sink.sendStream(new StreamFrame(s.id, 0, s.after, 0, false, List.of()));
                s.sent(s.after);
            }
        }
        return false;
    }

    private void fail(Subscription s, int err, String why) {
        log.info("Ending {}: {}", s, why);
        s.sink.sendStream(new StreamFrame(s.id, err, s.after, 0, false, List.of()));
    }

    private void failAll(int err) {
        for (Subscription s : behind) {
            s.closeCursor();
            s.sink.sendStream(new StreamFrame(s.id, err, s.after, 0, false, List.of()));
        }
        for (Subscription s : live) {
            s.sink.sendStream(new StreamFrame(s.id, err, s.after, 0, false, List.of()));
        }
        behind.clear();
        live.clear();
        closeLiveCursor();
    }
}
