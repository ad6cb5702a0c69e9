package io.corral.server.quorum;

import io.corral.log.LogEntry;

/**
 * What replication asks of the sequencer, the one way back: the state machine's side of the ZAB shell. Called on the
 * sequencer thread, from within {@link Quorum#poll()}, {@link Quorum#propose} or {@link Quorum#sync()}.
 */
public interface QuorumHost {

    /**
     * The state machine at an applied zxid, serialised for a learner and kept (on disk: it need not fit in memory)
     * until it has been sent; read a chunk at a time.
     */
    interface SnapshotImage extends AutoCloseable {
        long zxid();

        long size();

        /** bytes {@code [offset, offset + length)} */
        byte[] read(long offset, int length);

        /** frees what it holds */
        @Override
        void close();
    }

    /** A snapshot arriving from the leader, kept aside (on disk) until every byte is there. */
    interface SnapshotSink extends AutoCloseable {
        void write(byte[] chunk);

        /** every byte arrived: replace the whole state by it, durably; the log restarts after its zxid */
        void install();

        /** drops what arrived, unless installed */
        @Override
        void close();
    }

    /** A learner got an entry of the leader's history: hold it until it is committed (or truncated away). */
    void learned(LogEntry entry);

    /** The leader's history ends at {@code zxid}: what was learned beyond it was never committed. */
    void truncatedTo(long zxid);

    /** The leader's snapshot at {@code zxid}, {@code size} bytes, begins to arrive: where to keep it. */
    SnapshotSink receiveSnapshot(long zxid, long size);

    /** Leader, for a learner too far behind: apply everything committed, then serialise the state. */
    SnapshotImage takeSnapshot();

    /**
     * The server changed role ({@link Quorum#mode()} names it) and stops serving until {@link #serving()}: hold or close
     * client connections; what was learned but not committed stays, for the next leader to commit or truncate.
     */
    void roleChanged(String mode);

    /** This server serves clients (again), as {@link Quorum#mode()} says: after {@link #leading} if it leads. */
    void serving();

    /**
     * Leader: a leadership transfer began; propose nothing until {@link #roleChanged} (the handover: everything this
     * server proposed is committed by then, so its clients may be held like a learner's) or, if it is abandoned,
     * {@link #leading} and {@link #serving()} again.
     */
    void handingOver();

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

    /** With reconfiguration: {@code lines} are now the configuration in force (see {@link Quorum#configuration()}). */
    default void configurationActivated(io.corral.server.config.ServerLines lines) {
    }
}
