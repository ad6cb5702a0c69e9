package io.corral.server.sequencer;

import io.corral.log.LogEntry;
import io.corral.server.txn.Txn;
import io.corral.server.txn.TxnCodec;
import io.corral.server.txn.TxnHeader;

/** Between the sequencer's txns and the log's entries. */
final class LogEntries {
    private LogEntries() {
    }

    static LogEntry of(TxnHeader header, Txn txn) {
        return new LogEntry(header.zxid(), header.sessionId(), header.cxid(), header.time(), header.type(),
                TxnCodec.encode(txn));
    }

    static TxnHeader headerOf(LogEntry entry) {
        return new TxnHeader(entry.sessionId(), entry.cxid(), entry.zxid(), entry.time(), entry.type());
    }
}
