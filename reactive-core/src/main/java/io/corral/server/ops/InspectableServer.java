package io.corral.server.ops;

import io.corral.server.snapshot.BackupFile;

import java.io.IOException;
import java.nio.file.Path;
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

    /**
     * Takes a backup of the running server, consistent at one zxid, into a temporary file the caller deletes once it
     * has sent it; writes go on meanwhile. The future completes on the backup's writer thread.
     */
    CompletableFuture<BackupFile.Written> backup();

    /**
     * A new temporary file of the snapshot directory (removed at start-up if the server dies first) to receive a
     * backup to restore into. Blocking file I/O: never call it on an event loop.
     */
    Path newRestoreFile() throws IOException;

    /**
     * Replaces the server's state with the backup in {@code file} (checked whole first); completes with the zxid of
     * the state restored. Reads the file on the calling thread: never call it on an event loop.
     */
    CompletableFuture<Long> restore(Path file);
}
