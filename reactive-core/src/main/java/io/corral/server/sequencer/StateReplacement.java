package io.corral.server.sequencer;

import io.corral.log.LogEntry;
import io.corral.log.SnapshotFile;
import io.corral.server.session.SessionTracker;
import io.corral.server.snapshot.BackupFile;
import io.corral.server.snapshot.LoadedSnapshot;
import io.corral.server.snapshot.SnapshotTaker;
import io.corral.server.snapshot.TreeSnapshot;
import io.corral.server.stream.StreamHub;
import io.corral.server.tree.DataTree;
import io.corral.server.txn.TxnCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Replaces the whole state of the server at once: the newest snapshot at start-up, the leader's snapshot for a learner
 * too far behind, an operator's backup. Every replacement ends the work in flight on the old state (snapshots being
 * written, backups, client connections, queued txns) and tells the watch streams that the history changed. On the
 * sequencer thread.
 */
final class StateReplacement {
    private static final Logger log = LoggerFactory.getLogger(StateReplacement.class);

    private final DataTree tree;
    private final SessionTracker sessions;
    private final Committer committer;
    private final PendingChanges pending;
    private final SnapshotTaker snapshots;
    private final Backups backups;
    private final StreamHub streams;
    private final ZxidCounter zxids;
    private final Path snapshotDir;
    /** Closes every client connection, with the reason they are told. */
    private final Consumer<String> closeAll;
    /** Puts back what the tree holds of this server's own configuration (/zookeeper/config). */
    private final Runnable writeLocalNodes;

    StateReplacement(DataTree tree, SessionTracker sessions, Committer committer, PendingChanges pending,
                     SnapshotTaker snapshots, Backups backups, StreamHub streams, ZxidCounter zxids, Path snapshotDir,
                     Consumer<String> closeAll, Runnable writeLocalNodes) {
        this.tree = tree;
        this.sessions = sessions;
        this.committer = committer;
        this.pending = pending;
        this.snapshots = snapshots;
        this.backups = backups;
        this.streams = streams;
        this.zxids = zxids;
        this.snapshotDir = snapshotDir;
        this.closeAll = closeAll;
        this.writeLocalNodes = writeLocalNodes;
    }

    /** Takes over the tree and sessions of a loaded snapshot; before the sequencer starts. */
    void adopt(LoadedSnapshot snapshot) {
        long now = System.currentTimeMillis();
        tree.replaceWith(snapshot.tree());
        for (TreeSnapshot.RestoredSession s : snapshot.sessions()) {
            sessions.add(s.id(), s.password(), s.timeout(), now);
        }
        streams.stateLoaded(snapshot.zxid());
    }

    /** Replaces the whole state with the leader's snapshot, and keeps it on disk: the log restarts after it. */
    void installLeaderSnapshot(long zxid, Path received) throws IOException {
        endWorkOnTheOldState("the state is replaced by the leader's snapshot");
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(received),
                1 << 16))) {
            long now = System.currentTimeMillis();
            TreeSnapshot.Restored restored = TreeSnapshot.read(in, tree);
            for (TreeSnapshot.RestoredSession s : restored.sessions()) {
                sessions.add(s.id(), s.password(), s.timeout(), now);
            }
        }
        SnapshotFile.write(snapshotDir, zxid, out -> Files.copy(received, out));
        tree.setLastAppliedZxid(zxid);
        writeLocalNodes.run();
        streams.historyReplaced();
        streams.historyStartsAt(zxid);
        streams.applied(zxid);
    }

    /**
     * Installs a backup: clients are disconnected, the backup's txns replayed over its tree, and the result kept as
     * a snapshot at a zxid higher than any this server issued, so that neither its log nor a restart brings back
     * what the backup replaced. That zxid was never a txn of the replaced history, so the watch streams tell a
     * stream of the old history (refused: HISTORY_COMPACTED) from one of the restored state. Returns the backup's
     * zxid.
     */
    long installBackup(BackupFile.Restorable backup) throws IOException {
        endWorkOnTheOldState("the state is replaced by a restore");
        adopt(backup.snapshot());
        LogEntry txn;
        while ((txn = backup.nextTxn()) != null) {
            committer.add(new Committer.Proposal(LogEntries.headerOf(txn), TxnCodec.decode(txn.body()), null));
            committer.commitUpTo(Long.MAX_VALUE, Integer.MAX_VALUE);
        }
        if (tree.lastAppliedZxid() != backup.zxid()) {
            throw new IOException("the backup's txns end at 0x" + Long.toHexString(tree.lastAppliedZxid())
                    + ", not at its zxid 0x" + Long.toHexString(backup.zxid()));
        }
        long zxid = Math.max(backup.zxid(), zxids.last() + 1);
        tree.setLastAppliedZxid(zxid);
        zxids.continueAfter(zxid);
        SnapshotFile.write(snapshotDir, zxid, out -> TreeSnapshot.write(tree, sessions, out));
        streams.historyStartsAt(zxid); // before anything after it is applied: see StreamHub.historyStartsAt
        streams.applied(zxid);
        log.info("Restored a backup of zxid 0x{}: {} nodes, {} sessions; zxids go on after 0x{}",
                Long.toHexString(backup.zxid()), tree.nodeCount(), sessions.sessions().size(),
                Long.toHexString(zxid));
        return backup.zxid();
    }

    private void endWorkOnTheOldState(String reason) {
        snapshots.abandon();
        backups.abandonAll();
        closeAll.accept(reason);
        committer.clear();
        pending.clear();
        tree.clear();
        sessions.clear();
    }
}
