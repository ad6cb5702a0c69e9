package io.corral.server.snapshot;

import io.corral.log.SnapshotFile;
import io.corral.log.TxnLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes snapshots in the background. The sequencer serialises the tree a slice at a time ({@link TreeSnapshot})
 * and hands the slices over through a small bounded queue, without ever waiting on it; a snapshot thread writes
 * them to the file (with its checksum) and then purges what the retained snapshots no longer need.
 */
public final class SnapshotTaker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SnapshotTaker.class);
    private static final byte[] END = new byte[0];
    private static final int NODES_PER_SLICE = 4096;
    /** Serialised per {@link #feed()}: about what one slice of 4,096 nodes of 100 B was before frames were capped. */
    private static final int FEED_BYTES = 1 << 20;

    private final Path dir;
    private final TxnLog txnLog;
    private final int retainCount;
    private final long purgeIntervalMs;
    private final ArrayBlockingQueue<byte[]> slices = new ArrayBlockingQueue<>(16);
    private volatile boolean busy;
    private TreeSnapshot current;
    private Thread thread;
    private long lastPurge;

    public SnapshotTaker(Path dir, TxnLog txnLog, int retainCount, int purgeIntervalHours) {
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
    public void begin(TreeSnapshot snapshot) {
        busy = true;
        current = snapshot;
        slices.clear();
        thread = new Thread(() -> write(snapshot.startZxid()), "corral-snapshot");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Serialises the next slices, about {@value #FEED_BYTES} bytes of them, as far as the writer has room for them;
     * never blocks (sequencer thread).
     */
    public void feed() {
        int fed = 0;
        while (current != null && fed < FEED_BYTES && slices.remainingCapacity() > 0) {
            byte[] slice = current.nextChunk(NODES_PER_SLICE);
            if (slice == null) {
                slices.offer(END);
                current = null;
            } else {
                slices.offer(slice);
                fed += slice.length;
            }
        }
    }

    private void write(long startZxid) {
        long started = System.nanoTime();
        try {
            Path file = SnapshotFile.write(dir, startZxid, out -> {
                try {
                    byte[] slice;
                    while ((slice = slices.take()) != END) {
                        out.write(slice);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("snapshot interrupted by shutdown");
                }
            });
            log.info("Snapshot {} written in {} ms", file.getFileName(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
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
