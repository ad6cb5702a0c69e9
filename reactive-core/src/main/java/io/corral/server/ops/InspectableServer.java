package io.corral.server.ops;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** A running server as the operators' endpoints reach it from their own threads. */
public interface InspectableServer {

    /**
     * Runs {@code reader} on the server's sequencer thread, between batches (a consistent state, no lock); the future
     * completes on that thread, or fails at once when too many such reads already wait.
     */
    <T> CompletableFuture<T> inspect(Function<ServerView, T> reader);

    /** The request figures, for the metrics to follow as they are recorded. */
    ServerStats stats();
}
