package io.corral.server.sequencer;

import io.corral.log.CloseableIterator;
import io.corral.log.LogEntry;
import io.corral.log.Snapshot;
import io.corral.log.SnapshotFile;
import io.corral.log.TxnLog;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/** Rebuilds the sequencer's state from disk: the newest valid snapshot, then the log after it. */
final class Recovery {
    private Recovery() {
    }

    /**
     * A standalone server's state: everything in its log is committed, so the snapshot plus the whole log after it
     * is applied. Returns the last zxid applied.
     */
    static long recover(Sequencer sequencer, Path snapshotDir, TxnLog txnLog) {
        long zxid = restoreSnapshot(sequencer, snapshotDir);
        try (CloseableIterator<LogEntry> entries = txnLog.readFrom(zxid)) {
            while (entries.hasNext()) {
                LogEntry entry = entries.next();
                sequencer.replay(entry);
                zxid = entry.zxid();
            }
        }
        return zxid;
    }

    /**
     * An ensemble member's state: its snapshot holds committed txns only, but the log after it may end with
     * proposals the ensemble never committed; those are queued, and applied only when the leader commits them.
     * Returns the zxid of the snapshot (0 without one).
     */
    static long recoverQueued(Sequencer sequencer, Path snapshotDir, TxnLog txnLog) {
        long zxid = restoreSnapshot(sequencer, snapshotDir);
        try (CloseableIterator<LogEntry> entries = txnLog.readFrom(zxid)) {
            while (entries.hasNext()) {
                sequencer.learned(entries.next());
            }
        }
        return zxid;
    }

    private static long restoreSnapshot(Sequencer sequencer, Path snapshotDir) {
        SnapshotFile.removeTemporaries(snapshotDir);
        Optional<Snapshot> snapshot = SnapshotFile.latestValid(snapshotDir);
        if (snapshot.isEmpty()) {
            return 0;
        }
        try (DataInputStream in = snapshot.get().open()) {
            return sequencer.restoreSnapshot(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read snapshot " + snapshot.get().path(), e);
        }
    }
}
