package io.corral.server.sequencer;

import io.corral.server.txn.Txn;
import io.corral.server.txn.TxnHeader;

/**
 * Decides when a proposed txn is committed. The sequencer proposes every txn here in zxid order and applies
 * whatever {@link #committedZxid()} allows. An ensemble's leader counts follower acks here; standalone is the
 * quorum of one.
 */
interface Quorum {

    void propose(TxnHeader header, Txn txn);

    /** Every txn up to this zxid may be applied. */
    long committedZxid();
}
