package io.corral.server.quorum;

import io.corral.log.CloseableIterator;
import io.corral.log.LogEntry;
import io.corral.log.LookaheadIterator;
import io.corral.server.zab.ZabStorage;

import java.util.ArrayDeque;

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
     * Lazily, one entry at a time: the durable entries straight from the log, then those still on their way to it.
     * A caller that reads a batch pays for the batch, not for the whole log after {@code zxid}. The iterator ends at
     * the last zxid appended when it was made; it holds a reader of the log, so close it. Use it on the sequencer
     * thread, as the storage, and drop it if the history is truncated or replaced by a snapshot meanwhile.
     */
    @Override
    public Tail readAfter(long zxid) {
        return new Tail(zxid, Math.max(appender.appendedZxid(), appender.lastZxid()));
    }

    /**
     * The entries after a zxid, up to an end. Each step takes the next entry from the log while the log holds it
     * durably, reading how far that is again at every step. Once it does not, every entry left is in flight
     * (durable ones are in the log, {@link #durableUpTo} drops from those in flight only what the log holds
     * durably): they are copied, at most a writer queue's worth, and returned from the copy, which later steps of
     * the writer do not change. (Iterating the in-flight queue itself would break when the writer's progress polls
     * it between two steps.)
     */
    final class Tail extends LookaheadIterator<LogEntry> implements CloseableIterator<LogEntry> {
        private final long end;
        /** The zxid of the last entry worked out (the iterator takes it before the next one is). */
        private long last;
        private CloseableIterator<LogEntry> log;
        private LogEntry logNext;
        private ArrayDeque<LogEntry> rest;

        private Tail(long after, long end) {
            this.last = after;
            this.end = end;
        }

        @Override
        protected LogEntry advance() {
            if (last >= end) {
                return null;
            }
            LogEntry next = rest == null ? fromLog() : null;
            if (next == null) {
                if (rest == null) {
                    close();
                    rest = new ArrayDeque<>();
                    for (LogEntry e : inFlight) {
                        if (e.zxid() > last && e.zxid() <= end) {
                            rest.addLast(e);
                        }
                    }
                }
                next = rest.pollFirst();
            }
            if (next != null) {
                last = next.zxid();
            }
            return next;
        }

        /** The log's next entry above the last one returned, if it is durable; null otherwise. */
        private LogEntry fromLog() {
            long durable = appender.durableZxid();
            if (logNext == null || logNext.zxid() <= last) {
                logNext = null;
                if (durable <= last) {
                    return null; // what comes next, if anything, is in flight: the log is not opened for it
                }
                if (log == null) {
                    log = appender.readFrom(last);
                }
                while (log.hasNext()) {
                    LogEntry e = log.next();
                    if (e.zxid() > last) {
                        logNext = e;
                        break;
                    }
                }
            }
            if (logNext == null || logNext.zxid() > durable) {
                return null;
            }
            LogEntry e = logNext;
            logNext = null;
            return e;
        }

        @Override
        public void close() {
            if (log != null) {
                log.close();
                log = null;
            }
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
