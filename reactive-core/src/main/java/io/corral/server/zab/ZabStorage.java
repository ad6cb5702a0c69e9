package io.corral.server.zab;

import io.corral.log.LogEntry;

import java.util.Iterator;

/**
 * What the protocol core reads of a server's durable state, synchronously, on the core's own thread. The core never
 * writes here: it asks the shell to, through {@link ZabOutput}s ({@code Persist}, {@code Truncate},
 * {@code PersistEpochs}, {@code InstallSnapshot}).
 *
 * <p>The history of a server is its newest snapshot followed by its log. The shell keeps every log entry after the
 * newest snapshot; older entries may have been purged.
 */
public interface ZabStorage {

    /** zxid of the last txn of the history (snapshot or log), appended whether durable or not; 0 when empty */
    long lastZxid();

    /** zxid of the oldest entry still in the log ({@link #readAfter} can return it), or 0 when the log is empty */
    long firstZxid();

    /**
     * zxid of the snapshot the history starts from (the one the server restored, or installed from a leader), 0 if
     * there is none: the log held every history entry after it then. Purges of old log files may since have removed
     * entries after it: {@link #firstZxid()} tells where the log starts now.
     */
    long snapshotZxid();

    /**
     * The log entries with a zxid greater than {@code zxid}, in zxid order. If the returned iterator is
     * {@link AutoCloseable} the core closes it when done.
     */
    Iterator<LogEntry> readAfter(long zxid);

    /** the newest epoch this server accepted from a prospective leader (LEADERINFO); 0 initially */
    long acceptedEpoch();

    /** the epoch of the last leader this server synchronised with (NEWLEADER); 0 initially */
    long currentEpoch();
}
