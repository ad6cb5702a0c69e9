package io.corral.server.sequencer;

import io.corral.server.config.ServerConfig;
import io.corral.server.session.SessionTracker;
import io.corral.server.snapshot.SliceFeed;
import io.corral.server.snapshot.SnapshotTaker;
import io.corral.server.snapshot.TreeSnapshot;
import io.corral.server.tree.DataTree;

import java.util.Random;

/**
 * When the sequencer begins a snapshot, counted in txns applied, and the slice-at-a-time writing of the snapshot and
 * backup under way, fed once per round of the loop after its commits. Kept apart from the loop, which only reports
 * how many txns each round applied; sequencer thread.
 */
final class SnapshotSchedule {
    private final ServerConfig config;
    private final SnapshotTaker snapshots;
    private final Backups backups;
    private final DataTree tree;
    private final SessionTracker sessions;
    /** Wakes the sequencer when a slice of the snapshot being written may be taken. */
    private final Runnable wake;
    private final Random random = new Random();
    private long txnsSinceSnapshot;
    private long snapshotThreshold;

    SnapshotSchedule(ServerConfig config, SnapshotTaker snapshots, Backups backups, DataTree tree,
                     SessionTracker sessions, Runnable wake) {
        this.config = config;
        this.snapshots = snapshots;
        this.backups = backups;
        this.tree = tree;
        this.sessions = sessions;
        this.wake = wake;
        this.snapshotThreshold = nextSnapshotThreshold();
    }

    private long nextSnapshotThreshold() {
        // as ZooKeeper: snapCount/2 plus a random part, so that ensemble members do not snapshot together
        int half = Math.max(1, config.snapCount() / 2);
        return half + random.nextInt(half);
    }

    /** After a round that applied {@code applied} txns. */
    void maybeSnapshot(int applied) {
        txnsSinceSnapshot += applied;
        if (txnsSinceSnapshot >= snapshotThreshold && !snapshots.busy()) {
            txnsSinceSnapshot = 0;
            snapshotThreshold = nextSnapshotThreshold();
            snapshots.begin(new SliceFeed(new TreeSnapshot(tree, sessions, tree.lastAppliedZxid()), wake));
        }
        snapshots.feed();
        backups.feed();
    }
}
