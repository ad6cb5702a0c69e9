package io.corral.server.sequencer;

import io.corral.log.TxnLog;
import io.corral.server.snapshot.LoadedSnapshot;
import io.corral.server.tree.DataTree;

/**
 * Rebuilds the sequencer's state from disk: the newest valid snapshot, then the log after it. The log's entries are
 * not read here: they wait in the committer, left in the log, and are read one at a time as they are applied. Before
 * the sequencer starts.
 */
final class Recovery {
    private final StateReplacement replacement;
    private final Committer committer;
    private final TxnLog txnLog;
    private final DataTree tree;

    Recovery(StateReplacement replacement, Committer committer, TxnLog txnLog, DataTree tree) {
        this.replacement = replacement;
        this.committer = committer;
        this.txnLog = txnLog;
        this.tree = tree;
    }

    /**
     * A standalone server's state: everything in its log is committed, so the snapshot plus the whole log after it
     * is applied. Returns the last zxid applied.
     */
    long recover(LoadedSnapshot snapshot) {
        replacement.adopt(snapshot);
        queueLogTail();
        // everything queued, whatever the commit point (a standalone server's log is all committed)
        committer.commitUpTo(Long.MAX_VALUE, Integer.MAX_VALUE);
        return tree.lastAppliedZxid();
    }

    /**
     * An ensemble member's state: its snapshot holds committed txns only, but the log after it may end with
     * proposals the ensemble never committed; those wait, and are applied only when the leader commits them (or
     * dropped when it truncates them). Returns the zxid of the snapshot (0 without one).
     */
    long recoverQueued(LoadedSnapshot snapshot) {
        replacement.adopt(snapshot);
        queueLogTail();
        return snapshot.zxid();
    }

    /** The log after the restored state waits in the committer, left in the log until it is applied. */
    private void queueLogTail() {
        committer.queueLogTail(txnLog, txnLog.lastZxid());
    }
}
