package io.corral.server.quorum;

import io.corral.log.CloseableIterator;
import io.corral.log.LogEntry;

/**
 * The durable log as the quorum uses it, on the sequencer thread: appends handed to a writer that makes them durable
 * in batches (group commit) and reports how far it got; reads; truncation. {@link LogAppender} is the real one over
 * the Chronicle transaction log; the simulation's loses what is not durable when its server crashes, and can stall.
 */
public interface ReplicaLog extends AutoCloseable {

    /** Hands an entry to the writer (after every earlier one). */
    void append(LogEntry entry);

    /** The log is durable up to here (moves on another thread: re-read it). */
    long durableZxid();

    /** The zxid of the last entry handed over, durable or not. */
    long appendedZxid();

    /** False while entries handed over still wait for room at the writer: take no more work then. */
    boolean hasRoom();

    /** Drops every entry after {@code zxid} (all of them for 0), durably, once everything handed over is written. */
    void truncateAfter(long zxid);

    /** The written entries after {@code zxid}, in order (entries still on their way to the writer excluded). */
    CloseableIterator<LogEntry> readFrom(long zxid);

    /** The smallest zxid the log still holds, 0 when empty. */
    long firstZxid();

    /** The last zxid written to the log, 0 when empty. */
    long lastZxid();

    /** Why the log stopped taking writes (nothing handed over becomes durable any more), or null while it works. */
    default Throwable failure() {
        return null;
    }

    @Override
    void close();
}
