package io.corral.server.sequencer;

import io.corral.protocol.ConnectRequest;
import io.corral.protocol.ConnectResponse;
import io.corral.protocol.OpCode;
import io.corral.server.config.ServerConfig;
import io.corral.server.session.Session;
import io.corral.server.session.SessionTracker;
import io.corral.server.tree.DataTree;
import io.corral.server.txn.Txn;
import io.corral.server.txn.TxnHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * A connection's session from its handshake to its end: a new session is proposed (by the leader) or asked of the
 * leader (by a learner), an existing one is reattached if its password matches, and a lost connection lets go of what
 * it held. Kept apart from the request loop, which only routes handshakes and disconnections here; sequencer thread.
 */
final class SessionAdmission {
    /** The sequencer's logger, as before this class was split off: log settings that name it still apply. */
    private static final Logger log = LoggerFactory.getLogger(Sequencer.class);

    private final Sequencer sequencer;
    private final ServerConfig config;
    private final DataTree tree;
    private final SessionTracker sessions;
    private final SessionBindings bindings;
    private final Outbox outbox;
    private final LearnerForwarding forwarding;
    private final StreamRequests streamRequests;

    SessionAdmission(Sequencer sequencer, SessionBindings bindings, Outbox outbox, LearnerForwarding forwarding,
                     StreamRequests streamRequests) {
        this.sequencer = sequencer;
        this.config = sequencer.config();
        this.tree = sequencer.tree;
        this.sessions = sequencer.sessions;
        this.bindings = bindings;
        this.outbox = outbox;
        this.forwarding = forwarding;
        this.streamRequests = streamRequests;
    }

    void connect(Inbound.Connect request) {
        Connection connection = request.connection();
        ConnectionState state = connection.state();
        ConnectRequest req = request.request();
        state.readOnlyRequested = req.readOnly();
        state.extensions = req.extensions() & ConnectRequest.CORRAL_STREAMS;
        sequencer.connections.add(connection);
        long now = System.currentTimeMillis();
        if (req.lastZxidSeen() > tree.lastAppliedZxid()) {
            log.info("Refusing session 0x{} from {}: client has seen zxid 0x{}, this server is at 0x{}",
                    Long.toHexString(req.sessionId()), connection.remoteAddress(),
                    Long.toHexString(req.lastZxidSeen()), Long.toHexString(tree.lastAppliedZxid()));
            outbox.send(connection, new Outbound.Close("client is ahead of this server"));
            return;
        }
        int timeout = negotiatedTimeout(req.timeOut());
        Boolean readOnly = req.readOnly() == null ? null : Boolean.FALSE;
        if (req.sessionId() == 0) {
            long id = sessions.nextSessionId();
            byte[] password = sessions.newPassword();
            state.sessionId = id;
            bindings.bind(id, connection);
            if (sequencer.leads()) {
                state.lastProposedZxid = proposeSession(id, password, timeout, now, request);
                state.session = sessions.get(id);
            } else {
                // the leader creates it; this server answers the handshake when it applies the txn
                forwarding.forwarded(id, request);
                sequencer.quorum().forward(new ForwardedRequest(id, 0, OpCode.CREATE_SESSION, 0, List.of(),
                        new ForwardedRequest.NewSession(timeout, password)).encode());
            }
            return;
        }
        Session session = sessions.validate(req.sessionId(), req.passwd());
        if (session == null) {
            log.info("Refusing to reattach session 0x{} from {}: expired, closed or wrong password",
                    Long.toHexString(req.sessionId()), connection.remoteAddress());
            outbox.send(connection, new Outbound.Handshake(new ConnectResponse(0, 0, 0, new byte[16], readOnly)));
            outbox.send(connection, new Outbound.Close("invalid session"));
            return;
        }
        sessions.setTimeout(session, timeout, now);
        sequencer.quorum().touched(session.id());
        state.session = session;
        state.sessionId = session.id();
        Connection previous = bindings.bind(session.id(), connection);
        if (previous != null) {
            outbox.send(previous, new Outbound.Close("session moved to another connection"));
        }
        outbox.send(connection, new Outbound.Handshake(
                new ConnectResponse(0, timeout, session.id(), session.password(), readOnly, state.extensions)));
    }

    /** The timeout a session gets: what the client asked for, within min/maxSessionTimeout. */
    int negotiatedTimeout(int requested) {
        return Math.max(config.minSessionTimeout(), Math.min(config.maxSessionTimeout(), requested));
    }

    /**
     * The leader registers a new session (its own client's, or one a learner's client asked for) and proposes its
     * createSession txn; returns the txn's zxid. The handshake is answered when the txn is applied.
     */
    long proposeSession(long id, byte[] password, int timeout, long now, Inbound.Connect origin) {
        if (sessions.get(id) == null) {
            sessions.add(id, password, timeout, now);
        }
        long zxid = sequencer.nextZxid();
        sequencer.propose(new TxnHeader(id, 0, zxid, now, OpCode.CREATE_SESSION),
                new Txn.CreateSession(timeout, password), origin);
        return zxid;
    }

    void disconnected(Connection connection) {
        ConnectionState state = connection.state();
        state.closed = true;
        state.waiting.clear();
        sequencer.connections.remove(connection);
        sequencer.watches.removeAll(connection);
        streamRequests.disconnected(connection);
        if (state.sessionId != 0) {
            bindings.unbind(state.sessionId, connection);
        }
    }
}
