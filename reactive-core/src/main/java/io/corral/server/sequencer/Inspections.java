package io.corral.server.sequencer;

import io.corral.server.ops.ServerView;
import org.jctools.queues.MpscArrayQueue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Reads of the operators' side (metrics scrapes, admin commands) run on the sequencer thread between batches, so
 * that they see a consistent state without a lock. Bounded: when too many wait, the newest is refused at once.
 */
final class Inspections {
    private static final int CAPACITY = 64;

    private final MpscArrayQueue<Runnable> queue = new MpscArrayQueue<>(CAPACITY);
    private final ServerView view;

    Inspections(ServerView view) {
        this.view = view;
    }

    /** Queues a read; false when the queue is full (the future then already failed). */
    <T> boolean offer(Function<ServerView, T> reader, CompletableFuture<T> result) {
        boolean queued = queue.offer(() -> {
            try {
                result.complete(reader.apply(view));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        if (!queued) {
            result.completeExceptionally(new RejectedExecutionException(
                    CAPACITY + " operator requests already wait for the sequencer"));
        }
        return queued;
    }

    /** Runs what waits; on the sequencer thread. Returns how many ran. */
    int run() {
        return queue.drain(Runnable::run);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }
}
