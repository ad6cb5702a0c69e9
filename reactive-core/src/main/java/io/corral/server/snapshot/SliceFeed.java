package io.corral.server.snapshot;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A {@link TreeSnapshot} on its way from the sequencer to a writing thread: the sequencer serialises a slice whenever
 * the small bounded queue has room, never waiting on it, and the writer copies the slices out in order. The memory
 * it holds is bounded by the queue, whatever the size of the tree.
 */
public final class SliceFeed {
    private static final int NODES_PER_SLICE = 4096;
    private static final int SLICES = 16;
    /** Serialised per {@link #feed()}: about what one slice of 4,096 nodes of 100 B was before frames were capped. */
    private static final int FEED_BYTES = 1 << 20;
    private static final byte[] END = new byte[0];
    private static final byte[] ABANDONED = new byte[0];

    private final ArrayBlockingQueue<byte[]> slices = new ArrayBlockingQueue<>(SLICES);
    private final TreeSnapshot snapshot;
    private final Runnable roomMade;
    private boolean handedOver;
    private volatile boolean writerGone;

    /**
     * @param roomMade called on the writer's thread each time it takes a slice, so that an idle sequencer serialises
     *                 the next one at once (it wakes the sequencer)
     */
    public SliceFeed(TreeSnapshot snapshot, Runnable roomMade) {
        this.snapshot = snapshot;
        this.roomMade = roomMade;
    }

    public TreeSnapshot snapshot() {
        return snapshot;
    }

    /**
     * Serialises the next slices, about {@value #FEED_BYTES} bytes of them, as far as the queue has room for them
     * (so that the sequencer's pause stays short); never blocks (sequencer thread). Returns true once the last slice
     * is handed over.
     */
    public boolean feed() {
        if (writerGone) {
            return true;
        }
        int fed = 0;
        while (!handedOver && fed < FEED_BYTES && slices.remainingCapacity() > 0) {
            byte[] slice = snapshot.nextChunk(NODES_PER_SLICE);
            if (slice == null) {
                handedOver = slices.offer(END);
            } else {
                slices.offer(slice);
                fed += slice.length;
            }
        }
        return handedOver;
    }

    /**
     * Ends the feed early (the tree it reads is about to be replaced); the writer's {@link #copyTo} then fails and
     * nothing it wrote is to be kept (sequencer thread).
     */
    public void abandon() {
        handedOver = true;
        slices.clear();
        slices.offer(ABANDONED);
    }

    /** The writer failed and takes no more slices: the sequencer stops feeding them (the writer's thread). */
    public void writerGone() {
        writerGone = true;
        slices.clear();
    }

    /** Copies every slice to {@code out}, waiting for each (the writer's thread). */
    public void copyTo(OutputStream out) throws IOException {
        try {
            byte[] slice;
            while ((slice = slices.take()) != END) {
                if (slice == ABANDONED) {
                    throw new IOException("abandoned: the state it was taken from was replaced");
                }
                roomMade.run();
                out.write(slice);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("snapshot interrupted by shutdown");
        }
    }
}
