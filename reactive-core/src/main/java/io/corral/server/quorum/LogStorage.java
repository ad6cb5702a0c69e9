package io.corral.server.quorum;

import io.corral.log.CloseableIterator;
import io.corral.log.LogEntry;
import io.corral.server.zab.ZabStorage;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * What the ZAB core reads of this server's durable state: the transaction log (entries already written) plus the
 * entries still on their way to it, a snapshot installed from a leader (the log restarts after it), and the epochs.
 */
final class LogStorage implements ZabStorage {
    private final ReplicaLog appender;
    private final EpochStore epochs;
    /** Appended entries the writer has not reported durable yet, oldest first. */
    private final ArrayDeque<LogEntry> inFlight = new ArrayDeque<>();
    /** The zxid of the state this server holds without a log entry for it (a snapshot), or 0. */
    private long snapshotZxid;

    LogStorage(ReplicaLog appender, EpochStore epochs, long snapshotZxid) {
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
        return Math.max(snapshotZxid, Math.max(appender.appendedZxid(), appender.lastZxid()));
    }

    @Override
    public long firstZxid() {
        long first = appender.firstZxid();
        if (first != 0) {
            return first;
        }
        return inFlight.isEmpty() ? 0 : inFlight.peekFirst().zxid();
    }

    @Override
    public long snapshotZxid() {
        return snapshotZxid;
    }

    /**
     * Lazily: the log's entries up to what the writer made durable, then those still on their way to it. A caller
     * that reads a batch pays for the batch, not for the whole log after {@code zxid}.
     */
    @Override
    public Iterator<LogEntry> readAfter(long zxid) {
        return new Tail(appender.readFrom(zxid), appender.durableZxid(), zxid);
    }

    /** The durable log, then the in-flight entries after the last one it gave. */
    private final class Tail implements CloseableIterator<LogEntry> {
        private final CloseableIterator<LogEntry> written;
        private final long durable;
        private Iterator<LogEntry> inFlightPart;
        private LogEntry next;
        private long last;

        Tail(CloseableIterator<LogEntry> written, long durable, long after) {
            this.written = written;
            this.durable = durable;
            this.last = after;
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (inFlightPart == null) {
                if (written.hasNext()) {
                    LogEntry e = written.next();
                    if (e.zxid() <= durable) {
                        next = e;
                        last = e.zxid();
                        return true;
                    }
                }
                written.close();
                inFlightPart = inFlight.iterator();
            }
            while (inFlightPart.hasNext()) {
                LogEntry e = inFlightPart.next();
                if (e.zxid() > last) {
                    next = e;
                    return true;
                }
            }
            return false;
        }

        @Override
        public LogEntry next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            LogEntry e = next;
            next = null;
            return e;
        }

        @Override
        public void close() {
            written.close();
        }
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
