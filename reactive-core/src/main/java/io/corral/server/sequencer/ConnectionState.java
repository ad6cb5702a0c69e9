package io.corral.server.sequencer;

import io.corral.protocol.Id;
import io.corral.server.session.Session;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Per-connection state owned by the sequencer thread: its session, identities, and FIFO bookkeeping. */
public final class ConnectionState {
    long sessionId;
    /** The session this connection carries (kept here so a request needs no session lookup). */
    Session session;
    boolean closed;
    /** Something was queued since the last flush. */
    boolean dirty;
    /** Whether the client sent the optional readOnly byte (the handshake reply mirrors it). */
    Boolean readOnlyRequested;
    /** The Corral extensions this connection's client named in its ConnectRequest; the server serves them all. */
    int extensions;
    /** The connection subscribed to a resumable stream (its end must reach the stream hub). */
    boolean subscribed;
    final Set<Id> authIds = new LinkedHashSet<>();
    /** This connection's SASL exchange while it runs (null before its first SASL request and once it completed). */
    javax.security.sasl.SaslServer saslServer;
    /** Requests held back to keep replies in order behind this connection's uncommitted writes. */
    final ArrayDeque<Request> waiting = new ArrayDeque<>();
    /** Zxid of this connection's newest write that is validated but maybe not applied yet. */
    long lastProposedZxid;
    /** Requests of this connection a learner passed to the leader and not yet seen come back. */
    int forwarded;

    // figures for the cons / stat four-letter words
    final long establishedAt = System.currentTimeMillis();
    long received;
    long sent;
    int lastOp = -1;
    int lastCxid;
    long lastZxid;
    long lastResponseTime;
    long lastLatency;
    long minLatency = Long.MAX_VALUE;
    long maxLatency;
    long totalLatency;
    long latencyCount;

    public ConnectionState(String remoteIp) {
        this(remoteIp, List.of());
    }

    /** {@code transportIds}: what the connection proved before its first request (a TLS client's x509 ids). */
    public ConnectionState(String remoteIp, List<Id> transportIds) {
        authIds.add(new Id("ip", remoteIp));
        authIds.addAll(transportIds);
    }

    public long sessionId() {
        return sessionId;
    }

    public Set<Id> authIds() {
        return authIds;
    }
}
