package io.corral.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * When the periodic checkpoint runs: a quarter of a second after the last checkpoint, once entries were appended
 * since, and only after the file being appended to was forced once on a thread of its own. The checkpoint itself
 * runs on the log writer between two batches and forces the files; forced early, the file holds only the pages
 * dirtied since that force began, where it held a quarter second's pages (at 10,000 writes/s the next batch waited
 * 2.8 ms at the median for them, 0.5 ms after an early force). The early force is only that: the checkpoint still
 * forces every file it must.
 *
 * <p>Used under the log's lock, by the thread that checkpoints.
 */
final class PeriodicCheckpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicCheckpoint.class);

    /** How often the mapped files are forced in a checkpoint, at most; sooner when the journal is full. */
    static final long INTERVAL_NANOS = 250_000_000L;

    private final LongSupplier nanoClock;
    private long lastNanos;
    private long checkpoints;
    /** The early force, or null. */
    private Future<?> early;
    /** {@link #checkpoints} when the early force began: it counts for the next checkpoint only if none ran since. */
    private long earlyAfter;
    /** One thread, started at the first early force; at most one force runs or waits (see {@link #start}). */
    private ThreadPoolExecutor forcer;

    PeriodicCheckpoint() {
        this(System::nanoTime);
    }

    /** With {@code nanoClock} for {@link System#nanoTime()}: for tests. */
    PeriodicCheckpoint(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.lastNanos = nanoClock.getAsLong();
    }

    /** A checkpoint was made (periodic or not): the interval starts again. */
    void checkpointed() {
        lastNanos = nanoClock.getAsLong();
        checkpoints++;
    }

    /** Whether the interval has passed since the last checkpoint. */
    boolean intervalPassed() {
        return nanoClock.getAsLong() - lastNanos >= INTERVAL_NANOS;
    }

    /** Whether an early force is running: the checkpoint it prepares is not to be asked for again until it ends. */
    boolean forcing() {
        return early != null && !early.isDone();
    }

    /**
     * For a checkpoint that is due: true when it is to run now (the file appended to was forced since the last
     * checkpoint, or there is none); false when a force of {@code appendFile} runs ahead of it (started here if
     * none runs).
     */
    boolean readyToRun(Path appendFile) {
        if (appendFile == null) {
            return true;
        }
        if (early != null) {
            if (!early.isDone()) {
                return false;
            }
            boolean current = earlyAfter == checkpoints;
            early = null;
            if (current) {
                return true;
            }
        }
        start(appendFile);
        return false;
    }

    private void start(Path file) {
        if (forcer == null) {
            forcer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.NANOSECONDS, new ArrayBlockingQueue<>(1), r -> {
                Thread t = new Thread(r, "corral-log-early-force");
                t.setDaemon(true);
                return t;
            });
        }
        earlyAfter = checkpoints;
        early = forcer.submit(() -> force(file)); // none runs now (see readyToRun): the queue has room
    }

    private static void force(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(false);
        } catch (IOException e) {
            // the checkpoint forces the file itself, and fails there if the disk does
            LOG.debug("Early force of {} failed: {}", file, e.toString());
        }
    }

    /** Waits for a running early force to end, and stops the thread. */
    @Override
    public void close() {
        if (forcer == null) {
            return;
        }
        forcer.shutdown();
        try {
            if (!forcer.awaitTermination(1, TimeUnit.MINUTES)) {
                LOG.warn("An early force of the txn log still runs after a minute; closing without it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
