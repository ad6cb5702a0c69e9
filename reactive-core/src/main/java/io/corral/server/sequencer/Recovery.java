package io.corral.server.sequencer;

import io.corral.server.snapshot.LoadedSnapshot;

/**
 * Rebuilds the sequencer's state from disk: the newest valid snapshot, then the log after it. The log's entries are
 * not read here: they wait in the committer, left in the log, and are read one at a time as they are applied.
 */
final class Recovery {
    private Recovery() {
    }

    /**
     * A standalone server's state: everything in its log is committed, so the snapshot plus the whole log after it
     * is applied. Returns the last zxid applied.
     */
    static long recover(Sequencer sequencer, LoadedSnapshot snapshot) {
        sequencer.adopt(snapshot);
        sequencer.queueLogTail();
        sequencer.applyQueued();
        return sequencer.appliedZxid();
    }

    /**
     * An ensemble member's state: its snapshot holds committed txns only, but the log after it may end with
     * proposals the ensemble never committed; those wait, and are applied only when the leader commits them (or
     * dropped when it truncates them). Returns the zxid of the snapshot (0 without one).
     */
    static long recoverQueued(Sequencer sequencer, LoadedSnapshot snapshot) {
        sequencer.adopt(snapshot);
        sequencer.queueLogTail();
        return snapshot.zxid();
    }
}
