package io.corral.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The single log-writer thread, doing group commit: it drains whatever has been offered, appends the batch,
 * calls {@link TxnLog#sync()} once for the whole batch, then reports {@code onDurable.accept(lastZxidOfBatch)}.
 * The more the producer offers while a sync is in flight, the bigger the next batch, so the cost of a sync is
 * shared by many txns under load while a lone txn is synced at once.
 *
 * <p>{@link #offer} is non-blocking and fails when the bounded queue is full: the producer (the sequencer)
 * applies back-pressure. The queue is lock-free and takes any number of producer threads.
 *
 * <p>Idle: when there is nothing to do the thread parks at once, until {@link #offer} unparks it (or
 * {@value #MAX_PARK_MILLIS} ms pass: then it lets the log force its mapped files if a batch was written since,
 * see {@link TxnLog#betweenBatches()}): an idle writer uses no CPU but for that wake-up a second. It spins or
 * yields never: between two batches it has nothing to do but wait for the sequencer, which wakes it precisely.
 *
 * <p>{@code onDurable} runs on the writer thread, with strictly increasing zxids; keep it short (hand the
 * zxid to the sequencer). If it throws, the error is logged and the writer carries on. If appending or syncing
 * fails (an I/O error) the writer stops: {@code onFailure} is told, {@link #failure()} returns the error, and
 * later offers throw {@link IllegalStateException}. The server should treat that as fatal.
 *
 * <p>{@link #writeInline} lets the producer write a small batch itself when the writer is idle: two thread
 * wake-ups (the writer's, then the producer's on the report) cost more CPU than the batch at a low rate. Whoever
 * writes holds {@link #writing}, so batches reach the log in order and never interleave with its maintenance.
 *
 * <p>The writer does not own the log: close the writer, then the log.
 */
public final class LogWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);

    static final long MAX_PARK_MILLIS = 1000;

    private final TxnLog log;
    private final BoundedMpscQueue<LogEntry> queue;
    private final LongConsumer onDurable;
    private final Consumer<Throwable> onFailure;
    private final Thread thread;
    private volatile boolean parked;
    /** Held while a batch or the log's maintenance is written, by the writer thread or an inline writer. */
    private final AtomicBoolean writing = new AtomicBoolean();
    /** What a refused inline writer asked to run once the writer thread gives the log up. */
    private final AtomicReference<Runnable> whenFree = new AtomicReference<>();
    private volatile boolean closing;
    private volatile Throwable failure;
    private volatile long batches;
    private final LongSupplier nanoClock;
    /** {@link #nanoClock} when the writer thread last finished a batch's sync (inline writes do not count). */
    private volatile long lastBatchSynced;

    /** Starts the thread {@code corral-log-writer}; failures are logged at ERROR. */
    public LogWriter(TxnLog log, int queueCapacity, LongConsumer onDurable) {
        this(log, queueCapacity, onDurable, t -> { });
    }

    public LogWriter(TxnLog log, int queueCapacity, LongConsumer onDurable, Consumer<Throwable> onFailure) {
        this(log, queueCapacity, onDurable, onFailure, System::nanoTime);
    }

    /** As above, with the clock {@link #syncedABatchWithin} reads ({@link System#nanoTime} outside tests). */
    public LogWriter(TxnLog log, int queueCapacity, LongConsumer onDurable, Consumer<Throwable> onFailure,
            LongSupplier nanoClock) {
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.lastBatchSynced = nanoClock.getAsLong() - (1L << 40); // "long ago"
        this.log = Objects.requireNonNull(log, "log");
        this.queue = new BoundedMpscQueue<>(queueCapacity);
        this.onDurable = Objects.requireNonNull(onDurable, "onDurable");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
        this.thread = new Thread(this::run, "corral-log-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Hands an entry to the writer without blocking.
     *
     * @return false when the queue is full
     * @throws IllegalStateException once the writer is closed or has failed
     */
    public boolean offer(LogEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (closing || failure != null) {
            throw new IllegalStateException("log writer is " + (failure != null ? "failed" : "closed"), failure);
        }
        if (!queue.offer(entry)) {
            return false;
        }
        if (parked) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /**
     * Appends and syncs {@code entries} on the calling thread, if the writer is idle: nothing queued and no batch
     * in flight. Returns false, having written nothing, when it is not: then offer the entries, or wait for the
     * writer ({@link #notifyWhenFree}) and try again. The caller must be the only producer (what it offered before
     * is then written before these). {@code onDurable} is not called: the caller knows the batch is durable when
     * this returns true. The log's maintenance (checkpoints, the journal's allocation) stays on the writer thread,
     * woken for it when it is due.
     *
     * @throws IllegalStateException once the writer is closed or has failed, or when this write fails it
     */
    public boolean writeInline(List<LogEntry> entries) {
        if (closing || failure != null) {
            throw new IllegalStateException("log writer is " + (failure != null ? "failed" : "closed"), failure);
        }
        if (!queue.isEmpty() || !writing.compareAndSet(false, true)) {
            return false;
        }
        boolean maintenanceDue;
        try {
            if (!queue.isEmpty()) {
                release();
                return false;
            }
            for (LogEntry e : entries) {
                log.append(e);
            }
            log.sync();
            batches++;
            maintenanceDue = log.maintenanceDue();
        } catch (RuntimeException | Error e) {
            fail(e);
            throw new IllegalStateException("the txn log in " + log.dir() + " could not be written", e);
        } finally {
            writing.set(false);
        }
        if (maintenanceDue) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /**
     * For a caller whose inline write was refused, before it parks: true when the writer holds the log or has
     * entries to write, and will run {@code callback} once it gives the log up (on its thread: keep it short, e.g.
     * an unpark); false when the writer is free now (the callback is dropped: try the inline write again).
     */
    public boolean notifyWhenFree(Runnable callback) {
        whenFree.set(callback);
        // set before the check, and the writer clears the flag before it takes the callback: if this sees it
        // busy, the writer's release sees the callback
        if (writing.get() || !queue.isEmpty()) {
            return true;
        }
        whenFree.compareAndSet(callback, null);
        return false;
    }

    /** The log is given up: a refused inline writer may write now. */
    private void release() {
        writing.set(false);
        runWhenFree();
    }

    private void runWhenFree() {
        Runnable callback = whenFree.getAndSet(null);
        if (callback != null) {
            callback.run();
        }
    }

    /** The error that stopped the writer, or that the log was told of ({@link TxnLog#failed}), or null. */
    public Throwable failure() {
        return failure != null ? failure : log.failure();
    }

    /** Whether the writer thread finished syncing a batch less than {@code nanos} ago (inline writes do not count). */
    public boolean syncedABatchWithin(long nanos) {
        return nanoClock.getAsLong() - lastBatchSynced < nanos;
    }

    /** How many batches (each one sync) have been written. */
    public long batches() {
        return batches;
    }

    private void run() {
        try {
            while (true) {
                if (drainBatch()) {
                    continue;
                }
                if (closing) {
                    if (!drainBatch()) { // what was offered before close() flipped the flag
                        return;
                    }
                    continue;
                }
                // parked is set before the queue is checked again, and an offer publishes its entry before it
                // reads parked: either this thread sees the entry or the offer sees parked and unparks it
                parked = true;
                if (queue.isEmpty() && !closing) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(MAX_PARK_MILLIS));
                }
                parked = false;
                // the last batch's pages are forced, even if no other batch follows; an inline writer that holds
                // the log now wakes this thread again when it is due
                if (queue.isEmpty() && writing.compareAndSet(false, true)) {
                    try {
                        log.betweenBatches();
                    } finally {
                        release();
                    }
                }
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void fail(Throwable t) {
        if (failure != null) {
            return;
        }
        failure = t;
        log.failed(t); // no checkpoint vouches for what the failed write may have left out of the files
        LOG.error("Log writer stopped: the txn log in {} could not be written", log.dir(), t);
        try {
            onFailure.accept(t);
        } catch (Throwable t2) {
            LOG.error("onFailure threw", t2);
        }
    }

    /** Appends everything queued now (at most a queue's worth), syncs once, reports. False when there was nothing. */
    private boolean drainBatch() {
        if (queue.isEmpty()) {
            return false;
        }
        while (!writing.compareAndSet(false, true)) {
            Thread.onSpinWait(); // an inline writer that saw this entry arrive gives the log up at once
        }
        try {
            return writeBatch();
        } finally {
            release();
        }
    }

    private boolean writeBatch() {
        LogEntry e = queue.poll();
        if (e == null) {
            return false;
        }
        int max = queue.capacity();
        long last;
        int n = 0;
        do {
            log.append(e);
            last = e.zxid();
            n++;
        } while (n < max && (e = queue.poll()) != null);
        log.sync();
        batches++;
        lastBatchSynced = nanoClock.getAsLong();
        try {
            onDurable.accept(last);
        } catch (RuntimeException ex) {
            LOG.error("onDurable({}) threw", Long.toHexString(last), ex);
        }
        log.betweenBatches(); // after the report: the batch's writers are not kept waiting
        return true;
    }

    /**
     * Stops accepting offers, lets the thread append and sync what was already offered, and waits for it to
     * end. Does not close the log.
     */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
