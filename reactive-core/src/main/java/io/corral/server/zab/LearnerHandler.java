package io.corral.server.zab;

import io.corral.server.zab.ZabMessage.AckEpoch;

import java.util.ArrayDeque;

/** The leader's record of one learner's session: where it is in discovery and synchronisation, and what it holds. */
final class LearnerHandler {

    enum State {
        /** sent its info; LEADERINFO sent if the epoch is chosen */
        INFO,
        /** acknowledged the epoch; waits for the leader to synchronise it */
        EPOCH_ACKED,
        /** a snapshot for it is being taken */
        SNAPSHOT_PENDING,
        /** DIFF, TRUNC or SNAP sent; the missing history streams to it as its acknowledgements allow */
        STREAMING,
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

    // ---- the stream of a synchronisation (state STREAMING)

    /** the last zxid streamed to it */
    long streamedZxid;
    /** the highest commit point told to it while streaming */
    long commitTold;
    /** entries streamed and not acknowledged yet: {zxid, body bytes}, oldest first (at most the sync window) */
    final ArrayDeque<long[]> unacked = new ArrayDeque<>();
    long unackedBytes;
    /**
     * the size of the snapshot being sent, until its last chunk is out (-1: none); {@link #snapSent} of it sent,
     * {@link #snapAcked} acked
     */
    long snapshotSize = -1;
    long snapshotZxid;
    long snapSent;
    long snapAcked;

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

    /** records a streamed entry */
    void streamed(long zxid, int bytes) {
        unacked.addLast(new long[] {zxid, bytes});
        unackedBytes += bytes;
        streamedZxid = zxid;
    }

    /**
     * The learner's progress: durable up to {@code zxid}, {@code snapBytes} of the snapshot received.
     *
     * @return whether it freed any credit
     */
    boolean acknowledged(long zxid, long snapBytes) {
        boolean freed = false;
        while (!unacked.isEmpty() && unacked.peekFirst()[0] <= zxid) {
            unackedBytes -= unacked.pollFirst()[1];
            freed = true;
        }
        if (snapBytes > snapAcked && snapBytes <= snapSent) {
            snapAcked = snapBytes;
            freed = true;
        }
        return freed;
    }

    /** starts a new stream after a DIFF, TRUNC or SNAP point: nothing of an earlier stream is in flight */
    void restartStream(long from) {
        unacked.clear();
        unackedBytes = 0;
        streamedZxid = from;
        snapshotSize = -1;
        snapSent = 0;
        snapAcked = 0;
    }
}
