package io.corral.server.quorum;

import io.corral.log.LogEntry;

import java.util.Map;

/**
 * What the sequencer asks of replication, the one way in: it proposes every txn here in zxid order and applies
 * whatever {@link #committedZxid()} allows. Standalone is the quorum of one ({@link LogQuorum}: the local log); an
 * ensemble member's is {@link ZabQuorum}. Answers come back through the {@link QuorumHost} the quorum was built with.
 * Called on the sequencer thread only.
 */
public interface Quorum extends AutoCloseable {

    /** Leader (or standalone): replicate this txn, the next in zxid order. */
    void propose(LogEntry entry);

    /** Every txn up to this zxid may be applied. */
    long committedZxid();

    /** False while earlier proposals still wait for room downstream: take no new requests until then. */
    boolean hasRoom();

    /** Handles what arrived from peers, the log and the timers; returns how much work that was. */
    default int poll() {
        return 0;
    }

    /**
     * The sequencer took this round's requests: what they proposed may be written now, on the sequencer thread
     * (standalone, when its log writer is idle), so that the commit that follows in the round finds it durable.
     */
    default void endOfRound() {
    }

    /** Whether nothing waits for {@link #poll()} (the sequencer may park). */
    default boolean idle() {
        return true;
    }

    /** How long the sequencer may park before {@link #poll()} has a timer to run; {@code Long.MAX_VALUE}: none. */
    default long nanosToNextTimer() {
        return Long.MAX_VALUE;
    }

    /** The server's mode as the four-letter words print it. */
    default String mode() {
        return "standalone";
    }

    /** Whether this server sequences writes itself (standalone, or the leader); a learner forwards them. */
    default boolean leads() {
        return true;
    }

    /** Whether clients may be served: always standalone; in an ensemble, once synchronised with a leader. */
    default boolean serving() {
        return true;
    }

    /** Why this server's log stopped taking writes (then the server stops, as ZooKeeper's does), or null. */
    default Throwable logFailure() {
        return null;
    }

    /** Learner: passes a client's write (a forwarded request's encoding) to the leader. */
    default void forward(byte[] request) {
        throw new UnsupportedOperationException("a " + mode() + " server does not forward");
    }

    /**
     * A client's sync: answered by {@link QuorumHost#syncAnswered} with the zxid a read after it must have applied.
     * Syncs are answered in the order they were asked.
     */
    void sync();

    /** A session of this server's clients was active: the leader must hear of it to keep it alive. */
    default void touched(long sessionId) {
    }

    /**
     * Leader: hands leadership over to server {@code target}, or to the most up-to-date follower when it is -1 (see
     * {@link io.corral.server.zab.ZabNode#transferLeadership}); the host hears {@link QuorumHost#handingOver()} and
     * then a role change, or {@link QuorumHost#serving()} again if the transfer is abandoned.
     *
     * @return the target
     * @throws IllegalStateException    if this server is not a serving leader of an ensemble
     * @throws IllegalArgumentException if the target is not a synchronised follower
     */
    default long transferLeadership(long target) {
        throw new IllegalStateException("a " + mode() + " server has no leadership to hand over");
    }

    /**
     * Follower: asks the leader to hand leadership over to this server (it does if this server is a synchronised
     * follower; whether it did shows in the roles that follow).
     *
     * @throws IllegalStateException if this server is not a serving follower
     */
    default void requestLeadership() {
        throw new IllegalStateException("a " + mode() + " server cannot take over the leadership");
    }

    /** This member's place in the ensemble; null standalone. */
    default MemberState memberState() {
        return null;
    }

    /** Leader: its synchronised observers, as ZooKeeper's observers admin command lists them; none otherwise. */
    default java.util.List<ObserverStatus> observers() {
        return java.util.List.of();
    }

    /** ZooKeeper's observer_connection_stat_reset: the observers' counts start again. */
    default void resetObserverStats() {
    }

    /** Lines for mntr about the ensemble (ZooKeeper's names); none standalone. */
    default Map<String, Object> figures() {
        return Map.of();
    }

    @Override
    void close();

    /** Whether the membership may change at run time ({@code reconfigEnabled}). */
    default boolean reconfigEnabled() {
        return false;
    }

    /** With reconfiguration: the configuration in force (the last committed); null otherwise. */
    default io.corral.server.config.ServerLines configuration() {
        return null;
    }

    /** Leader with reconfiguration: whether a reconfig is proposed and not known committed. */
    default boolean reconfigInFlight() {
        return false;
    }

    /** Leader with reconfiguration: whether this leader's synchronised followers make a quorum of {@code next}. */
    default boolean isQuorumSynced(io.corral.server.config.ServerLines next) {
        return false;
    }
}
