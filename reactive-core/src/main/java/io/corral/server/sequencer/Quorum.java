package io.corral.server.sequencer;

import io.corral.server.txn.Txn;
import io.corral.server.txn.TxnHeader;

/**
 * Decides when a proposed txn is committed. The sequencer proposes every txn here in zxid order and applies
 * whatever {@link #committedZxid()} allows. Standalone is the quorum of one (the local log); an ensemble's leader
 * will count follower acks here as well.
 */
interface Quorum extends AutoCloseable {

    void propose(TxnHeader header, Txn txn);

    /** Every txn up to this zxid may be applied. */
    long committedZxid();

    /** False while earlier proposals still wait for room downstream: take no new requests until then. */
    boolean hasRoom();

    /** Ensemble: handles what arrived from peers and the timers; returns how much work that was. */
    default int poll() {
        return 0;
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

    @Override
    void close();
}
