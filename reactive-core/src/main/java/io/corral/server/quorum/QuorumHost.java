package io.corral.server.quorum;

import io.corral.log.LogEntry;

/**
 * What replication asks of the sequencer, the one way back: the state machine's side of the ZAB shell. Called on the
 * sequencer thread, from within {@link Quorum#poll()}, {@link Quorum#propose} or {@link Quorum#sync()}.
 */
public interface QuorumHost {

    /** The state machine at an applied zxid, serialised. */
    record Snapshot(long zxid, byte[] state) {
    }

    /** A learner got an entry of the leader's history: hold it until it is committed (or truncated away). */
    void learned(LogEntry entry);

    /** The leader's history ends at {@code zxid}: what was learned beyond it was never committed. */
    void truncatedTo(long zxid);

    /** Replace the whole state by the leader's snapshot at {@code zxid}, durably: the log restarts after it. */
    void installSnapshot(long zxid, byte[] state);

    /** Leader, for a learner too far behind: apply everything committed, then serialise the state. */
    Snapshot takeSnapshot();

    /**
     * The server changed role ({@link Quorum#mode()} names it) and stops serving until {@link #serving()}: hold or close
     * client connections; what was learned but not committed stays, for the next leader to commit or truncate.
     */
    void roleChanged(String mode);

    /** This server serves clients (again), as {@link Quorum#mode()} says: after {@link #leading} if it leads. */
    void serving();

    /** This server now leads: zxids continue in {@code epoch} after {@code lastZxid}. */
    void leading(long epoch, long lastZxid);

    /**
     * Leader: a learner's client sent this request (a forwarded request's encoding); sequence it as a local one.
     *
     * @throws io.corral.protocol.MarshallingException if it is malformed (the quorum then drops the learner's link)
     */
    void forwardedByLearner(long learner, byte[] request);

    /** Leader: sessions whose clients are connected to a learner were active. */
    void touchedByLearner(long[] sessionIds);

    /** The oldest pending {@link Quorum#sync()} is answered: a read after it must have applied up to {@code zxid}. */
    void syncAnswered(long zxid);
}
