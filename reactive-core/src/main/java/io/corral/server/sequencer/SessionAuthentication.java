package io.corral.server.sequencer;

import io.corral.protocol.AuthPacket;
import io.corral.protocol.BufferRecord;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.Id;
import io.corral.server.auth.AuthProviders;
import io.corral.server.auth.SaslLogins;
import io.corral.server.config.ServerConfig;
import io.corral.server.ops.ServerStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

/**
 * How a connection proves who it is, on the sequencer thread: auth packets (digest, ip), SASL exchanges (DIGEST-MD5
 * or Kerberos GSSAPI, see {@link SaslLogins}), and ZooKeeper's enforce.auth, which closes a session that sends any
 * other request before it authenticated with one of the required schemes.
 */
final class SessionAuthentication {
    private static final Logger log = LoggerFactory.getLogger(SessionAuthentication.class);

    private final ServerConfig config;
    private final Outbox outbox;
    private final ServerStats stats;
    private final SaslLogins sasl;
    private final Set<String> enforcedSchemes;

    SessionAuthentication(ServerConfig config, Outbox outbox, ServerStats stats) {
        this.config = config;
        this.outbox = outbox;
        this.stats = stats;
        this.sasl = new SaslLogins(config.sasl());
        this.enforcedSchemes = config.sasl().enforcedSchemes();
    }

    /** An auth packet: the provider's ids join the connection's, or AUTHFAILED and the connection closes. */
    void authenticate(Request request) {
        AuthPacket packet = (AuthPacket) request.body;
        Connection connection = request.connection;
        List<Id> ids = AuthProviders.authenticate(packet.scheme(), packet.auth(), connection.remoteIp(),
                config.superDigest());
        if (ids == null) {
            log.info("Authentication with unknown scheme '{}' from {}; closing the connection", packet.scheme(),
                    connection.remoteAddress());
            stats.recordAuthFailure();
            outbox.reply(request, 0, ErrorCode.AUTH_FAILED, null);
            outbox.send(connection, new Outbound.Close("auth failed"));
            return;
        }
        connection.state().authIds.addAll(ids);
        outbox.reply(request, 0, ErrorCode.OK, null);
    }

    /**
     * One step of a SASL exchange: the client's token in, the server's token out. Without a JAAS server section the
     * answer is an empty token, as ZooKeeper gives without SASL configured. A failed step answers AUTHFAILED (or
     * SESSIONCLOSEDREQUIRESASLAUTH when SASL is required) and closes the connection, as ZooKeeper does; with
     * allowSaslFailedClients (and SASL not required) it answers an empty token and the connection stays, without id.
     */
    void saslStep(Request request) {
        if (!sasl.offered()) {
            outbox.reply(request, 0, ErrorCode.OK, new BufferRecord(null));
            return;
        }
        Connection connection = request.connection;
        ConnectionState state = connection.state();
        byte[] token = ((BufferRecord) request.body).value();
        try {
            if (state.saslServer == null) {
                state.saslServer = sasl.newServer();
            }
            SaslServer server = state.saslServer;
            byte[] answer = server.evaluateResponse(token == null ? new byte[0] : token);
            if (server.isComplete()) {
                String id = server.getAuthorizationID();
                server.dispose();
                state.saslServer = null;
                log.info("Session 0x{}: adding SASL authorization for authorizationID: {}",
                        Long.toHexString(state.sessionId), id);
                state.authIds.addAll(sasl.idsOf(id));
            }
            outbox.reply(request, 0, ErrorCode.OK, new BufferRecord(answer));
        } catch (SaslException | RuntimeException e) { // a step out of turn: the JDK's server throws IllegalState
            log.warn("Client {} failed to SASL authenticate: {}", connection.remoteAddress(), e.toString());
            stats.recordAuthFailure();
            state.saslServer = null;
            if (sasl.keepsFailedClients()) { // allowSaslFailedClients: an empty answer, the session goes on
                log.warn("Maintaining client connection despite SASL authentication failure.");
                outbox.reply(request, 0, ErrorCode.OK, new BufferRecord(null));
                return;
            }
            int err = sasl.required() ? ErrorCode.SESSION_CLOSED_REQUIRE_SASL_AUTH : ErrorCode.AUTH_FAILED;
            outbox.reply(request, 0, err, new BufferRecord(null));
            outbox.send(connection, new Outbound.Close("SASL authentication failed"));
        }
    }

    /**
     * enforce.auth: false, after answering SESSIONCLOSEDREQUIRESASLAUTH (the caller closes the connection), when the
     * connection has no id of a required scheme. Auth and SASL requests are never held to it.
     */
    boolean admits(Request request) {
        if (enforcedSchemes.isEmpty()) {
            return true;
        }
        ConnectionState state = request.connection.state();
        for (Id id : state.authIds) {
            if (enforcedSchemes.contains(id.scheme())) {
                return true;
            }
        }
        log.error("Client authentication scheme(s) {} does not match with any of the expected authentication scheme"
                + " {}, closing session.", state.authIds.stream().map(Id::scheme).toList(), enforcedSchemes);
        outbox.reply(request, 0, ErrorCode.SESSION_CLOSED_REQUIRE_SASL_AUTH, null);
        return false;
    }
}
