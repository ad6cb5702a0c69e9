package io.corral.server.ops;

import io.corral.protocol.Id;
import io.corral.server.config.ServerConfig;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the operators' side (four-letter words, the admin commands, metrics) may read of a running server: one narrow,
 * read-only view instead of the sequencer's own fields. Called on the sequencer thread only, so the figures of one
 * answer are consistent with each other.
 */
public interface ServerView {

    ServerConfig config();

    /**
     * The ensemble's configuration in force as {@code /zookeeper/config} holds it (a reconfiguration changes it), or
     * null standalone.
     */
    default String membership() {
        return config().ensemble().map(e -> e.configText()).orElse(null);
    }

    /** As the four-letter words print it: standalone, leader, follower, observer (or looking). */
    String mode();

    /** Whether clients are served (always standalone; in an ensemble, once synchronised with a leader). */
    boolean serving();

    ServerStats stats();

    long lastZxid();

    int nodeCount();

    /** The tree's digest at every 128th zxid, the newest 1,024, oldest first (hash); none when digests are off. */
    List<io.corral.server.tree.DigestLog.Entry> digests();

    int ephemeralCount();

    long approximateDataSize();

    int sessionCount();

    /** Requests taken off the sockets and not yet handled by the sequencer. */
    long outstanding();

    /** The client connections, each with its figures, in the order they were accepted. */
    List<ConnectionStats> connections();

    /** Zeroes every connection's figures (crst). */
    void resetConnectionStats();

    /** Bytes of replies and events the clients have yet to read, all connections together. */
    long outboundBacklogBytes();

    int watchCount();

    /**
     * Paths watched, per watching session (wchc). As in ZooKeeper, this and {@link #watchesByPath()} cover the data
     * watches (getData, exists, addWatch), not getChildren's; {@link #watchCount()} counts both.
     */
    Map<Long, Set<String>> watchesBySession();

    /** Watching sessions, per path (wchp). */
    Map<String, Set<Long>> watchesByPath();

    /** Session ids per expiry time (dump). */
    Map<Long, List<Long>> sessionExpiryBuckets();

    /** Ephemeral paths per owning session (dump). */
    Map<Long, Set<String>> ephemeralsBySession();

    /** The leader's figures about its learners under ZooKeeper's mntr names; empty otherwise. */
    Map<String, Object> quorumFigures();

    /**
     * Whether these ids may run the snapshot and restore commands: as in ZooKeeper, they must hold every permission
     * on the root node's ACL (a super digest always does).
     */
    boolean mayAdminister(List<Id> ids);

    /** Where the snapshots are (last_snapshot). */
    java.nio.file.Path snapshotDirectory();

    /** The replication quorum, for the leadership transfer (xfer); called on the sequencer thread. */
    io.corral.server.quorum.Quorum quorum();
}
