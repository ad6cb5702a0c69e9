package io.corral.server.stream;

import io.corral.log.CloseableIterator;
import io.corral.log.LogEntry;
import io.corral.log.TxnLog;

/**
 * A reader of the txn log that hands out only committed entries: the next entry after {@link #at()} whose zxid the
 * server has applied. An entry read ahead of that point waits here; it may be uncommitted, so the cursor is dropped
 * whenever the log's history is replaced (see {@link StreamHub#historyReplaced()}).
 */
final class LogCursor implements AutoCloseable {
    /** The committed history is not contiguous here: entries after {@link #at()} are gone. */
    static final class GapException extends Exception {
        GapException(long at, long next) {
            super("the log has no txn between 0x" + Long.toHexString(at) + " and 0x" + Long.toHexString(next),
                    null, false, false);
        }
    }

    private final CloseableIterator<LogEntry> entries;
    private LogEntry ahead;
    private long at;

    LogCursor(TxnLog log, long after) {
        this.entries = log.readFrom(after);
        this.at = after;
    }

    long at() {
        return at;
    }

    /** The next entry if the server applied it, else null (it may not be in the log yet, or not committed). */
    LogEntry next(long applied) throws GapException {
        if (ahead == null) {
            if (!entries.hasNext()) {
                return null;
            }
            ahead = entries.next();
        }
        if (ahead.zxid() > applied) {
            return null;
        }
        if (!Zxids.follows(at, ahead.zxid())) {
            throw new GapException(at, ahead.zxid());
        }
        LogEntry entry = ahead;
        ahead = null;
        at = entry.zxid();
        return entry;
    }

    @Override
    public void close() {
        entries.close();
    }
}
