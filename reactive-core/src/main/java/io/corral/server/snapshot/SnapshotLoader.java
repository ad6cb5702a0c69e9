package io.corral.server.snapshot;

import io.corral.server.tree.DataTree;

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
 * ahead of it. With two cores, reading and building on one and checking and parsing on the other overlap.
 */
final class SnapshotLoader {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private SnapshotLoader() {
    }

    /** Reads frames up to the end frame from {@code in} into {@code tree}; returns the number of nodes. */
    static long load(DataInputStream in, DataTree tree) throws IOException {
        int decoders = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        int window = 2 * decoders + 1; // frames read ahead of the tree: bounded, as is the pool's queue
        ThreadPoolExecutor pool = new ThreadPoolExecutor(decoders, decoders, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(window), r -> {
                    Thread t = new Thread(r, "corral-snapshot-decoder-" + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ArrayDeque<Future<NodeChunk.Decoded>> ahead = new ArrayDeque<>(window);
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
                byte[] bytes = new byte[length];
                in.readFully(bytes);
                if (ahead.size() == window) {
                    nodes += restore(ahead.poll(), tree);
                }
                long frame = ordinal;
                ahead.add(pool.submit(() -> NodeChunk.decode(frame, nodeCount, bytes, crc)));
            }
            while (!ahead.isEmpty()) {
                nodes += restore(ahead.poll(), tree);
            }
            return nodes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static int restore(Future<NodeChunk.Decoded> frame, DataTree tree) throws IOException {
        NodeChunk.Decoded decoded;
        try {
            decoded = frame.get();
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
