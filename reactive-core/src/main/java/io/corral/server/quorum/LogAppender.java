package io.corral.server.quorum;

import io.corral.log.CloseableIterator;
import io.corral.log.LogEntry;
import io.corral.log.LogWriter;
import io.corral.log.TxnLog;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The sequencer's side of the log writer thread: hands entries over (holding them in a backlog while the writer's
 * queue is full, so the sequencer stops taking requests instead of growing memory) and publishes "durable up to
 * zxid" as the writer reports it (group commit: one sync per batch).
 *
 * <p>With {@code inlineBatches}, a sequencer round's few entries are held until {@link #endOfRound} and written
 * there by the sequencer itself: at a low rate that saves two thread wake-ups per write (the writer's, then the
 * sequencer's on the report), more CPU than the sync's own system call. While the writer thread is busy (a batch,
 * a checkpoint) they stay held, and it wakes the sequencer when it is done, as its report would. Once more than
 * {@value #INLINE_MAX} entries are held, when the sequencer found work waiting after each round since its last
 * sync, or when the writer thread has just synced a batch (either way requests arrive faster than syncs complete:
 * the sequencer would be blocked nearly all the time, with requests queueing behind its syncs; measured at 10,000
 * writes a second, p50 doubled), they go to the writer thread, which syncs while the sequencer takes the next
 * requests: group commit under load.
 */
final class LogAppender implements ReplicaLog {
    private static final int WRITER_QUEUE = 8192;
    static final int INLINE_MAX = 8;
    /**
     * A round that ends this soon after the writer thread synced a batch goes to the writer thread too: the
     * sequencer idled for a moment between two bursts, not between requests. Measured standalone with 64 writes in
     * flight, syncing such rounds inline (alternating with the writer's batches) cost a fifth of the throughput.
     * The price is at moderate rates, where a request often arrives this soon after a batch: at 5,000 writes a
     * second about 15 µs more CPU per write (benchmarks/RESULTS.md); 150 µs cost more at 5,000 and 10,000.
     */
    static final long WRITER_BUSY_NANOS = TimeUnit.MICROSECONDS.toNanos(80);

    private final TxnLog txnLog;
    private final LogWriter writer;
    private final ArrayDeque<LogEntry> backlog = new ArrayDeque<>();
    private final boolean inlineBatches;
    private final Runnable wakeSequencer;
    /** This round's entries, held for {@link #endOfRound} (with inlineBatches). */
    private final List<LogEntry> round = new ArrayList<>(INLINE_MAX);
    /** Whether the sequencer ran out of work since its last inline sync (it syncs inline only then). */
    private boolean idledSinceInlineSync = true;
    private volatile long durableZxid;
    private long appendedZxid;

    LogAppender(TxnLog txnLog, long recoveredZxid, Runnable wakeSequencer) {
        this(txnLog, recoveredZxid, wakeSequencer, false);
    }

    LogAppender(TxnLog txnLog, long recoveredZxid, Runnable wakeSequencer, boolean inlineBatches) {
        this(txnLog, recoveredZxid, wakeSequencer, inlineBatches, System::nanoTime);
    }

    LogAppender(TxnLog txnLog, long recoveredZxid, Runnable wakeSequencer, boolean inlineBatches,
            LongSupplier nanoClock) {
        this.txnLog = txnLog;
        this.inlineBatches = inlineBatches;
        this.wakeSequencer = wakeSequencer;
        this.durableZxid = recoveredZxid;
        this.appendedZxid = recoveredZxid;
        this.writer = new LogWriter(txnLog, WRITER_QUEUE, zxid -> {
            durableZxid = zxid;
            wakeSequencer.run();
        }, failure -> wakeSequencer.run(), nanoClock); // the writer logged it; the sequencer stops serving (failure())
    }

    @Override
    public void append(LogEntry entry) {
        appendedZxid = entry.zxid();
        if (inlineBatches && backlog.isEmpty()) {
            if (round.size() < INLINE_MAX) {
                round.add(entry);
                return;
            }
            handOverRound();
        }
        handOver(entry);
    }

    private void handOver(LogEntry entry) {
        if (!backlog.isEmpty() || !writer.offer(entry)) {
            backlog.addLast(entry);
        }
    }

    private void handOverRound() {
        for (LogEntry e : round) {
            handOver(e);
        }
        round.clear();
    }

    /**
     * The sequencer's round ends: the held entries are written now, by the sequencer, when the writer is idle (they
     * are durable when this returns); else they stay held (see {@link #mayPark}).
     */
    void endOfRound() {
        if (round.isEmpty() || writer.failure() != null) { // after a failure nothing becomes durable any more
            return;
        }
        if (!backlog.isEmpty() || !idledSinceInlineSync || writer.syncedABatchWithin(WRITER_BUSY_NANOS)) {
            // requests arrive faster than syncs complete: the sequencer would be blocked in syncs nearly all the
            // time with requests queueing behind them; the writer thread syncs while the sequencer works
            handOverRound();
        } else if (writeInline()) {
            idledSinceInlineSync = false;
            durableZxid = round.get(round.size() - 1).zxid();
            round.clear();
        }
    }

    /** The round, written by the sequencer; false when the writer is busy, or failed (logged by the writer). */
    private boolean writeInline() {
        try {
            return writer.writeInline(round);
        } catch (IllegalStateException e) {
            if (writer.failure() == null) {
                throw e;
            }
            return false; // the sequencer stops serving (see failure())
        }
    }

    /**
     * Whether the sequencer may park: not while it holds entries the writer would let it write now; while the writer
     * is busy, yes, and the writer wakes it when it is done.
     */
    boolean mayPark() {
        if (round.isEmpty()) {
            idledSinceInlineSync = true;
            return true;
        }
        return writer.failure() != null || writer.notifyWhenFree(wakeSequencer);
    }

    /** Whether the writer thread (not the sequencer, inline) synced a batch less than {@code nanos} ago. */
    boolean writerThreadSyncedWithin(long nanos) {
        return writer.syncedABatchWithin(nanos);
    }

    @Override
    public Throwable failure() {
        return writer.failure();
    }

    @Override
    public long durableZxid() {
        return durableZxid;
    }

    /** Zxid of the last entry handed over (durable or not). */
    @Override
    public long appendedZxid() {
        return appendedZxid;
    }

    /** Moves the backlog to the writer; false while some of it still does not fit. */
    @Override
    public boolean hasRoom() {
        while (!backlog.isEmpty()) {
            if (!writer.offer(backlog.peekFirst())) {
                return false;
            }
            backlog.pollFirst();
        }
        return true;
    }

    /**
     * Waits until everything handed over is in the log, then drops the entries above zxid (or all of them, for
     * zxid 0). Only during an ensemble's synchronisation, which is rare and short; the sequencer waits for it.
     */
    @Override
    public void truncateAfter(long zxid) {
        handOverRound();
        while (!hasRoom() || durableZxid < appendedZxid) {
            if (writer.failure() != null) {
                throw new IllegalStateException("the log failed", writer.failure());
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        txnLog.truncateAfter(zxid);
        appendedZxid = Math.min(appendedZxid, txnLog.lastZxid());
        durableZxid = Math.min(durableZxid, appendedZxid);
    }

    @Override
    public CloseableIterator<LogEntry> readFrom(long zxid) {
        return txnLog.readFrom(zxid);
    }

    @Override
    public long firstZxid() {
        return txnLog.firstZxid();
    }

    @Override
    public long lastZxid() {
        return txnLog.lastZxid();
    }

    @Override
    public void close() {
        if (writer.failure() == null) {
            handOverRound();
        }
        writer.close();
    }
}
