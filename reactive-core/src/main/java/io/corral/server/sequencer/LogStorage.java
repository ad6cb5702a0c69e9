package io.corral.server.sequencer;

import io.corral.log.CloseableIterator;
import io.corral.log.LogEntry;
import io.corral.log.TxnLog;
import io.corral.server.zab.ZabStorage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What the ZAB core reads of this server's durable state: the transaction log (entries already written) plus the
 * entries still on their way to it, a snapshot installed from a leader (the log restarts after it), and the epochs.
 */
final class LogStorage implements ZabStorage {
    private final TxnLog txnLog;
    private final LogAppender appender;
    private final EpochFiles epochs;
    /** Appended entries the writer has not reported durable yet, oldest first. */
    private final ArrayDeque<LogEntry> inFlight = new ArrayDeque<>();
    /** The zxid of the state this server holds without a log entry for it (a snapshot), or 0. */
    private long snapshotZxid;

    LogStorage(TxnLog txnLog, LogAppender appender, EpochFiles epochs, long snapshotZxid) {
        this.txnLog = txnLog;
        this.appender = appender;
        this.epochs = epochs;
        this.snapshotZxid = snapshotZxid;
    }

    void appended(LogEntry entry) {
        inFlight.addLast(entry);
    }

    void durableUpTo(long zxid) {
        while (!inFlight.isEmpty() && inFlight.peekFirst().zxid() <= zxid) {
            inFlight.pollFirst();
        }
    }

    void truncatedAfter(long zxid) {
        while (!inFlight.isEmpty() && inFlight.peekLast().zxid() > zxid) {
            inFlight.pollLast();
        }
    }

    void snapshotInstalled(long zxid) {
        inFlight.clear();
        snapshotZxid = zxid;
    }

    @Override
    public long lastZxid() {
        return Math.max(snapshotZxid, Math.max(appender.appendedZxid(), txnLog.lastZxid()));
    }

    @Override
    public long firstZxid() {
        long first = txnLog.firstZxid();
        if (first != 0) {
            return first;
        }
        return inFlight.isEmpty() ? 0 : inFlight.peekFirst().zxid();
    }

    @Override
    public long snapshotZxid() {
        return snapshotZxid;
    }

    @Override
    public Iterator<LogEntry> readAfter(long zxid) {
        List<LogEntry> entries = new ArrayList<>();
        long written = appender.durableZxid();
        long last = zxid;
        try (CloseableIterator<LogEntry> it = txnLog.readFrom(zxid)) {
            while (it.hasNext()) {
                LogEntry entry = it.next();
                if (entry.zxid() > written) {
                    break;
                }
                entries.add(entry);
                last = entry.zxid();
            }
        }
        for (LogEntry entry : inFlight) {
            if (entry.zxid() > last) {
                entries.add(entry);
            }
        }
        return entries.iterator();
    }

    @Override
    public long acceptedEpoch() {
        return epochs.accepted();
    }

    @Override
    public long currentEpoch() {
        return epochs.current();
    }
}
