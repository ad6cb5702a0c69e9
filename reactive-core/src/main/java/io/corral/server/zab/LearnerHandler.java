package io.corral.server.zab;

import io.corral.server.zab.ZabMessage.AckEpoch;

/** The leader's record of one learner's session: where it is in discovery and synchronisation, and what it holds. */
final class LearnerHandler {

    enum State {
        /** sent its info; LEADERINFO sent if the epoch is chosen */
        INFO,
        /** acknowledged the epoch; waits for the leader to synchronise it */
        EPOCH_ACKED,
        /** a snapshot for it is being taken */
        SNAPSHOT_PENDING,
        /** synchronised up to {@link #syncEnd} and NEWLEADER sent; gets every later proposal or inform */
        FORWARDING
    }

    final long peer;
    final boolean observer;
    final long session;
    final long acceptedEpoch;
    State state = State.INFO;
    AckEpoch ackEpoch;
    /** its state was more recent than the leader's when it acknowledged the epoch: not counted in that quorum */
    boolean moreRecent;
    boolean leaderInfoSent;
    boolean newLeaderAcked;
    /** the last zxid of the history sent to it (the NEWLEADER zxid) */
    long syncEnd;
    /** it holds the leader's history durably up to here */
    long matchZxid;
    long lastHeard;
    /** the highest heartbeat number it answered in this session (see {@link ReadIndexRounds}) */
    long answeredHeartbeat;

    LearnerHandler(long peer, boolean observer, long session, long acceptedEpoch, long now) {
        this.peer = peer;
        this.observer = observer;
        this.session = session;
        this.acceptedEpoch = acceptedEpoch;
        this.lastHeard = now;
    }

    /** a voter whose durable copy of the history counts towards quorums */
    boolean countsForCommit() {
        return !observer && newLeaderAcked;
    }
}
