package io.corral.server.snapshot;

import io.corral.log.SnapshotFile;
import io.corral.log.TxnLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Writes snapshots in the background. The sequencer serialises the tree a slice at a time ({@link TreeSnapshot})
 * and hands the slices over through a small bounded queue, without ever waiting on it; a snapshot thread writes
 * them to the file (with its checksum) and then purges what the retained snapshots no longer need.
 */
public final class SnapshotTaker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SnapshotTaker.class);

    private final Path dir;
    private final TxnLog txnLog;
    private final int retainCount;
    private final long purgeIntervalMs;
    private volatile boolean busy;
    private SliceFeed current;
    private Thread thread;
    private long lastPurge;
    private final LongConsumer writeTime;

    /** @param writeTime hears how long each snapshot took to write, in ms (ZooKeeper's snapshottime) */
    public SnapshotTaker(Path dir, TxnLog txnLog, int retainCount, int purgeIntervalHours, LongConsumer writeTime) {
        this.writeTime = writeTime;
        this.dir = dir;
        this.txnLog = txnLog;
        this.retainCount = retainCount;
        this.purgeIntervalMs = TimeUnit.HOURS.toMillis(purgeIntervalHours);
        this.lastPurge = System.currentTimeMillis();
    }

    /** Whether a snapshot is still being taken (sequencer thread). */
    public boolean busy() {
        return busy;
    }

    /** Starts writing a snapshot; the sequencer then calls {@link #feed()} until it is done. */
    public void begin(SliceFeed feed) {
        busy = true;
        current = feed;
        thread = new Thread(() -> write(feed), "corral-snapshot");
        thread.setDaemon(true);
        thread.start();
    }

    /** Serialises the next slice if the writer has room for it; never blocks (sequencer thread). */
    public void feed() {
        if (current != null && current.feed()) {
            current = null;
        }
    }

    /** Drops the snapshot being taken, if any: the state it reads is about to be replaced (sequencer thread). */
    public void abandon() {
        if (current != null) {
            current.abandon();
            current = null;
        }
    }

    private void write(SliceFeed feed) {
        long started = System.nanoTime();
        long startZxid = feed.snapshot().startZxid();
        try {
            Path file = SnapshotFile.write(dir, startZxid, feed::copyTo);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            writeTime.accept(millis);
            log.info("Snapshot {} written in {} ms", file.getFileName(), millis);
            purgeIfDue();
        } catch (IOException | RuntimeException e) {
            log.error("Snapshot at zxid 0x{} failed", Long.toHexString(startZxid), e);
        } finally {
            busy = false;
        }
    }

    private void purgeIfDue() {
        long now = System.currentTimeMillis();
        if (purgeIntervalMs > 0 && now - lastPurge >= purgeIntervalMs) {
            lastPurge = now;
            SnapshotFile.purge(dir, txnLog.dir(), txnLog, retainCount);
        }
    }

    @Override
    public void close() {
        Thread running = thread;
        if (running != null && busy) {
            running.interrupt();
            try {
                running.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
