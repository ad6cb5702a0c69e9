package io.corral.server.quorum;

import io.corral.log.TxnLog;
import io.corral.log.LogEntry;

/**
 * The quorum of a standalone server: a txn is committed once the local transaction log has made it durable.
 */
public final class LogQuorum implements Quorum {
    private final LogAppender appender;
    private final QuorumHost host;

    public LogQuorum(TxnLog txnLog, long recoveredZxid, Runnable wakeSequencer, QuorumHost host) {
        this.appender = new LogAppender(txnLog, recoveredZxid, wakeSequencer, true);
        this.host = host;
    }

    @Override
    public void propose(LogEntry entry) {
        appender.append(entry);
    }

    @Override
    public void endOfRound() {
        appender.endOfRound();
    }

    @Override
    public boolean idle() {
        return appender.mayPark();
    }

    /** A sync waits for every write proposed before it. */
    @Override
    public void sync() {
        host.syncAnswered(appender.appendedZxid());
    }

    @Override
    public Throwable logFailure() {
        return appender.failure();
    }

    @Override
    public long committedZxid() {
        return appender.durableZxid();
    }

    @Override
    public boolean hasRoom() {
        return appender.hasRoom();
    }

    @Override
    public void close() {
        appender.close();
    }
}
