package io.corral.server.sequencer;

import io.corral.protocol.Id;
import io.corral.protocol.OpCode;
import io.corral.server.session.SessionTracker;

import java.util.HashMap;
import java.util.Map;

/**
 * The leader's view of sessions whose clients are connected to learners: each gets a connection stand-in so that a
 * forwarded write goes through exactly the validation and sequencing of a local one. Nothing is ever sent to these
 * stand-ins; the learner answers its client when it applies the committed txn.
 */
final class RemoteSessions {

    /** A session connected to a learner, as the leader's sequencer sees it. */
    static final class RemoteConnection implements Connection {
        private final long learner;
        private final ConnectionState state;

        RemoteConnection(long learner, long sessionId) {
            this.learner = learner;
            this.state = new ConnectionState("0.0.0.0");
            this.state.sessionId = sessionId;
        }

        @Override
        public void send(Outbound message) {
            // the learner answers its own client from the committed txn
        }

        @Override
        public void flush() {
        }

        @Override
        public String remoteIp() {
            for (Id id : state.authIds) {
                if (id.scheme().equals("ip")) {
                    return id.id();
                }
            }
            return "0.0.0.0";
        }

        @Override
        public String remoteAddress() {
            return "learner " + learner;
        }

        @Override
        public ConnectionState state() {
            return state;
        }
    }

    private final Map<Long, RemoteConnection> bySession = new HashMap<>();

    /** The request a learner forwarded, ready for the sequencer, with the session's current identities. */
    Request toRequest(long learner, ForwardedRequest forwarded, SessionTracker sessions) {
        RemoteConnection connection = bySession.get(forwarded.sessionId());
        if (connection == null || connection.learner != learner) {
            connection = new RemoteConnection(learner, forwarded.sessionId());
            bySession.put(forwarded.sessionId(), connection);
        }
        ConnectionState state = connection.state;
        state.authIds.clear();
        state.authIds.addAll(forwarded.authIds());
        state.session = sessions.get(forwarded.sessionId());
        state.closed = false;
        if (forwarded.type() == OpCode.CLOSE_SESSION) {
            bySession.remove(forwarded.sessionId());
        }
        return forwarded.error() != 0
                ? Request.failed(connection, forwarded.cxid(), forwarded.type(), forwarded.error())
                : Request.of(connection, forwarded.cxid(), forwarded.type(), forwarded.body());
    }

    void clear() {
        bySession.clear();
    }
}
