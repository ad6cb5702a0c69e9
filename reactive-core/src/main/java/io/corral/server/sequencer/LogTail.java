package io.corral.server.sequencer;

import io.corral.log.CloseableIterator;
import io.corral.log.LogEntry;
import io.corral.log.TxnLog;

/**
 * The entries of the log in {@code (after, end]} that wait to be applied, left in the log instead of memory: a
 * restarted server's log after its snapshot. They are read (and checksummed) in order, one at a time, as they are
 * applied; until then the tail costs a few fields, however long it is. One thread uses it (the sequencer, or the
 * start-up thread before it runs); close it when it is dropped.
 */
final class LogTail implements AutoCloseable {
    private final TxnLog txnLog;
    private final long after;
    private long end;
    private CloseableIterator<LogEntry> reader;
    private LogEntry next;
    private long taken;

    LogTail(TxnLog txnLog, long after, long end) {
        this.txnLog = txnLog;
        this.after = after;
        this.end = end;
        this.taken = after;
    }

    /** Zxid of the last entry of the tail: the leader's commits up to it may apply it. */
    long end() {
        return end;
    }

    /** The next entry to apply, without taking it; null once the tail is used up. */
    LogEntry peek() {
        if (next == null && taken < end) {
            if (reader == null) {
                reader = txnLog.readFrom(taken);
            }
            if (reader.hasNext()) {
                next = reader.next();
            }
            if (next == null || next.zxid() > end) {
                next = null;
                end = taken; // the log ends before: nothing more to wait for
                close();
            }
        }
        return next;
    }

    /** Takes the entry {@link #peek()} returned. */
    LogEntry take() {
        LogEntry e = peek();
        if (e == null) {
            throw new IllegalStateException("the log tail after 0x" + Long.toHexString(after) + " is used up");
        }
        next = null;
        taken = e.zxid();
        return e;
    }

    /** The leader's history ends at {@code zxid}: the tail's entries above it are not to be applied. */
    void cutAfter(long zxid) {
        if (zxid < end) {
            end = Math.max(zxid, taken);
            if (next != null && next.zxid() > end) {
                next = null;
            }
        }
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
