package io.corral.server.quorum;

import io.corral.log.LogEntry;

/**
 * This server's log as the shell keeps it for the core: the core's appends, truncations, epochs and snapshot installs
 * carried out on the {@link ReplicaLog} and mirrored in the {@link LogStorage} the core reads, the point the core was
 * told is durable, and the commit point. Sequencer thread only.
 */
final class LogProgress implements AutoCloseable {
    private final ReplicaLog appender;
    private final LogStorage storage;
    private final EpochStore epochs;
    private final QuorumHost host;
    private long reportedDurable;
    private long committed;

    /** @param appliedZxid the state the host recovered: committed, and durable however far the log is */
    LogProgress(ReplicaLog appender, EpochStore epochs, QuorumHost host, long appliedZxid) {
        this.appender = appender;
        this.epochs = epochs;
        this.host = host;
        this.storage = new LogStorage(appender, epochs, appliedZxid);
        this.reportedDurable = Math.max(appliedZxid, appender.durableZxid());
        this.committed = appliedZxid;
    }

    /** What the core reads. */
    LogStorage storage() {
        return storage;
    }

    long committed() {
        return committed;
    }

    Throwable failure() {
        return appender.failure();
    }

    boolean hasRoom() {
        return appender.hasRoom();
    }

    /** The zxid the log became durable up to since last asked, for the core; -1 if it did not move. */
    long newlyDurable() {
        long durable = appender.durableZxid();
        if (durable <= reportedDurable) {
            return -1;
        }
        reportedDurable = durable;
        storage.durableUpTo(durable);
        return durable;
    }

    /** Whether the core knows all that is durable. */
    boolean durableReported() {
        return appender.durableZxid() == reportedDurable;
    }

    void append(LogEntry entry) {
        appender.append(entry);
        storage.appended(entry);
        host.learned(entry);
    }

    void truncateAfter(long zxid) {
        appender.truncateAfter(zxid);
        // the truncation waited for everything handed over to be durable: what it kept of that, the next
        // poll reports (the core may be waiting for it); only lower the mark, past the entries dropped
        reportedDurable = Math.min(reportedDurable, appender.durableZxid());
        storage.truncatedAfter(zxid);
        host.truncatedTo(zxid);
    }

    void writeEpochs(long acceptedEpoch, long currentEpoch) {
        epochs.write(acceptedEpoch, currentEpoch);
    }

    void commit(long zxid) {
        committed = Math.max(committed, zxid);
    }

    /** A snapshot from the leader replaces the log: it is emptied, then {@code install} puts the state in place. */
    void snapshotInstalled(long zxid, Runnable install) {
        appender.truncateAfter(0);
        reportedDurable = appender.durableZxid();
        install.run();
        storage.snapshotInstalled(zxid);
        committed = Math.max(committed, zxid);
    }

    @Override
    public void close() {
        appender.close();
    }
}
