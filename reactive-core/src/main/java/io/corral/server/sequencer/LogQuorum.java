package io.corral.server.sequencer;

import io.corral.log.LogEntry;
import io.corral.log.LogWriter;
import io.corral.log.TxnLog;
import io.corral.server.txn.Txn;
import io.corral.server.txn.TxnCodec;
import io.corral.server.txn.TxnHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;

/**
 * The quorum of a standalone server: a txn is committed once the local transaction log has made it durable. The
 * log writer thread appends batches with one sync each (group commit) and reports "durable up to zxid"; this class
 * turns that into the commit point and wakes the sequencer.
 */
final class LogQuorum implements Quorum {
    private static final Logger log = LoggerFactory.getLogger(LogQuorum.class);
    private static final int WRITER_QUEUE = 8192;

    private final LogWriter writer;
    /** Proposals the writer's full queue refused; retried before the sequencer takes new requests. */
    private final ArrayDeque<LogEntry> backlog = new ArrayDeque<>();
    private volatile long durableZxid;

    LogQuorum(TxnLog txnLog, long recoveredZxid, Runnable wakeSequencer) {
        this.durableZxid = recoveredZxid;
        this.writer = new LogWriter(txnLog, WRITER_QUEUE, zxid -> {
            durableZxid = zxid;
            wakeSequencer.run();
        }, failure -> log.error("The transaction log failed; no further write will be acknowledged", failure));
    }

    @Override
    public void propose(TxnHeader header, Txn txn) {
        LogEntry entry = new LogEntry(header.zxid(), header.sessionId(), header.cxid(), header.time(), header.type(),
                TxnCodec.encode(txn));
        if (!backlog.isEmpty() || !writer.offer(entry)) {
            backlog.addLast(entry);
        }
    }

    @Override
    public long committedZxid() {
        return durableZxid;
    }

    @Override
    public boolean hasRoom() {
        while (!backlog.isEmpty()) {
            if (!writer.offer(backlog.peekFirst())) {
                return false;
            }
            backlog.pollFirst();
        }
        return true;
    }

    @Override
    public void close() {
        writer.close();
    }
}
