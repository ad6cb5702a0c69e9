package io.corral.server.snapshot;

import io.corral.server.tree.TreeLoader;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loads the nodes of a format-2 snapshot as a pipeline: the calling thread reads the frames one after the other and
 * adds the parsed nodes to the tree (a single-writer structure), while decoder threads check and parse the frames
 * ahead of it. With two cores, reading and building on one and checking and parsing on the other overlap. The frames'
 * buffers are reused once their nodes are parsed: a million-node snapshot would otherwise leave its whole size as
 * garbage behind it while the tree it builds is young, and every collection during the load copies that tree.
 */
final class SnapshotLoader {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private SnapshotLoader() {
    }

    /** Reads frames up to the end frame from {@code in} into {@code tree}; returns the number of nodes. */
    static long load(DataInputStream in, TreeLoader tree) throws IOException {
        int decoders = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        int window = 2 * decoders + 1; // frames read ahead of the tree: bounded, as is the pool's queue
        ThreadPoolExecutor pool = new ThreadPoolExecutor(decoders, decoders, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(window), r -> {
                    Thread t = new Thread(r, "corral-snapshot-decoder-" + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ArrayDeque<Frame> ahead = new ArrayDeque<>(window);
        ArrayDeque<byte[]> free = new ArrayDeque<>(window + 1);
        long nodes = 0;
        try {
            for (long ordinal = 0; ; ordinal++) {
                int nodeCount = in.readInt();
                int length = in.readInt();
                int crc = in.readInt();
                if (nodeCount == 0 && length == 0) {
                    break;
                }
                if (nodeCount < 0 || length < 0 || length > NodeChunk.MAX_LENGTH) {
                    throw new IOException("snapshot frame " + ordinal + " has a bad header (" + nodeCount
                            + " nodes, " + length + " bytes): the file is damaged");
                }
                if (ahead.size() == window) {
                    nodes += restore(ahead.poll(), tree, free);
                }
                byte[] reused = free.poll();
                byte[] bytes = reused != null && reused.length >= length ? reused : new byte[length];
                in.readFully(bytes, 0, length);
                long frame = ordinal;
                ahead.add(new Frame(pool.submit(() -> NodeChunk.decode(frame, nodeCount, bytes, length, crc)),
                        bytes));
            }
            while (!ahead.isEmpty()) {
                nodes += restore(ahead.poll(), tree, free);
            }
            return nodes;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A frame being parsed, and the buffer its bytes are in (free again once it is parsed). */
    private record Frame(Future<NodeChunk.Decoded> parsed, byte[] buffer) {
    }

    private static int restore(Frame frame, TreeLoader tree, ArrayDeque<byte[]> free) throws IOException {
        NodeChunk.Decoded decoded;
        try {
            decoded = frame.parsed().get();
            free.add(frame.buffer()); // the parsed nodes hold copies of what they need
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("snapshot load interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot parse a snapshot frame", e.getCause());
        }
        decoded.restoreInto(tree);
        return decoded.count();
    }
}
