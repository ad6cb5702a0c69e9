package io.corral.server.zab;

/** What a server is doing in the ensemble, as ZooKeeper names it. */
public enum Role {
    /** electing a leader; serves no clients */
    LOOKING,
    /** a voting member that follows a leader */
    FOLLOWING,
    /** the leader: orders every write */
    LEADING,
    /** a non-voting member that follows a leader and learns committed txns only */
    OBSERVING
}
