package io.corral.server.sequencer;

import io.corral.protocol.OpCode;
import io.corral.server.txn.TxnHeader;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A learner's bookkeeping of the client requests it passed to the leader: writes wait, per session and in order,
 * for their txn to come back through the commit stream (then the local commit answers them); syncs wait for the
 * leader's answer and then until this server has applied what the leader had proposed when it answered.
 */
final class LearnerForwarding {
    private final Map<Long, ArrayDeque<Inbound>> writes = new HashMap<>();
    private final ArrayDeque<Request> syncsAtLeader = new ArrayDeque<>();
    private final ArrayDeque<Request> syncsApplying = new ArrayDeque<>();
    private final ArrayDeque<Long> syncTargets = new ArrayDeque<>();

    void forwarded(long sessionId, Inbound request) {
        writes.computeIfAbsent(sessionId, id -> new ArrayDeque<>()).addLast(request);
        request.connection().state().forwarded++;
    }

    /** The local request a committed-to-be txn answers, if it came from this server's client. */
    Inbound match(TxnHeader header) {
        ArrayDeque<Inbound> queue = writes.get(header.sessionId());
        if (queue == null || queue.isEmpty()) {
            return null;
        }
        Inbound head = queue.peekFirst();
        int xid = head instanceof Request request ? request.xid : 0;
        boolean sameKind = (head instanceof Inbound.Connect) == (header.type() == OpCode.CREATE_SESSION);
        if (xid != header.cxid() || !sameKind) {
            return null;
        }
        queue.pollFirst();
        if (queue.isEmpty()) {
            writes.remove(header.sessionId());
        }
        ConnectionState state = head.connection().state();
        state.forwarded--;
        state.lastProposedZxid = header.zxid();
        return head;
    }

    void syncForwarded(Request request) {
        syncsAtLeader.addLast(request);
        request.connection.state().forwarded++;
    }

    /** The leader answered the oldest sync: it completes once this server has applied up to zxid. */
    void syncAnswered(long zxid) {
        Request request = syncsAtLeader.pollFirst();
        if (request != null) {
            syncsApplying.addLast(request);
            syncTargets.addLast(zxid);
        }
    }

    /** Syncs whose target this server has now applied, in order; each counts as no longer forwarded. */
    List<Request> syncsDone(long appliedZxid) {
        if (syncTargets.isEmpty() || syncTargets.peekFirst() > appliedZxid) {
            return List.of(); // the common case, on every round of the sequencer's loop: no garbage
        }
        ArrayList<Request> done = new ArrayList<>();
        while (!syncTargets.isEmpty() && syncTargets.peekFirst() <= appliedZxid) {
            syncTargets.pollFirst();
            Request request = syncsApplying.pollFirst();
            request.connection.state().forwarded--;
            done.add(request);
        }
        return done;
    }

    /**
     * Everything still waiting when this learner serves under a new leader: a write that the new leader's history did
     * not bring back was never committed and never will be (the old term is over); a sync's answer, if any, came from
     * the old term. Each counts as no longer forwarded; the caller passes them on again or closes their connections.
     */
    List<Inbound> takeUnanswered() {
        List<Inbound> all = new ArrayList<>();
        writes.values().forEach(all::addAll);
        all.addAll(syncsAtLeader);
        all.addAll(syncsApplying);
        for (Inbound request : all) {
            request.connection().state().forwarded--;
        }
        clear();
        return all;
    }

    void clear() {
        writes.clear();
        syncsAtLeader.clear();
        syncsApplying.clear();
        syncTargets.clear();
    }
}
