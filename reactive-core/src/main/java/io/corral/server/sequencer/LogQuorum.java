package io.corral.server.sequencer;

import io.corral.log.TxnLog;
import io.corral.server.txn.Txn;
import io.corral.server.txn.TxnHeader;

/**
 * The quorum of a standalone server: a txn is committed once the local transaction log has made it durable.
 */
final class LogQuorum implements Quorum {
    private final LogAppender appender;

    LogQuorum(TxnLog txnLog, long recoveredZxid, Runnable wakeSequencer) {
        this.appender = new LogAppender(txnLog, recoveredZxid, wakeSequencer);
    }

    @Override
    public void propose(TxnHeader header, Txn txn) {
        appender.append(LogEntries.of(header, txn));
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
