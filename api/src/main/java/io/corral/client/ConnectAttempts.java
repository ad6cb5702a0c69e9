package io.corral.client;

import java.time.Duration;

import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.netty.Connection;

/**
 * Finding a server for the session: the servers of the connect string are tried one at a time, each attempt with its
 * own deadline (the session timeout shared among them, at least a second), the handshake sent once the connection
 * is up, and a growing pause after a round in which every server failed. An abandoned attempt's late callbacks are
 * told apart by its id. Kept apart from the session state machine in {@link ClientCore}, which says when a server
 * is wanted and takes the handshake's answer; actor-confined.
 */
final class ConnectAttempts {
    /** The client's logger, as before this class was split off: log settings that name it still apply. */
    private static final Logger log = LoggerFactory.getLogger(ClientCore.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    private final ClientCore core;
    private final HostList hosts;
    /** The connections' TLS, or null for plaintext. */
    private final ClientTlsContext tls;
    private final SerialExecutor actor;
    private Wire handshaking;
    private Disposable connecting;
    private int attemptId;
    private Disposable attemptTimer;
    private int failedInRound;
    private int failedRounds;
    /** Why the last connection attempt failed, told when no server answered in time (a TLS refusal, say). */
    private Throwable lastAttemptError;

    ConnectAttempts(ClientCore core, HostList hosts, ClientTlsContext tls, SerialExecutor actor) {
        this.core = core;
        this.hosts = hosts;
        this.tls = tls;
        this.actor = actor;
    }

    /** Tries the next server, if the session wants one. */
    void attempt() {
        if (!core.seeksServer()) {
            return;
        }
        ConnectString.HostPort host = hosts.next();
        int id = ++attemptId;
        Duration perAttempt = Duration.ofMillis(Math.max(1000, core.timeoutMs() / hosts.size()));
        log.debug("session 0x{}: connecting to {}", Long.toHexString(core.currentSessionId()), host);
        attemptTimer = core.schedule(perAttempt.toMillis(), () -> onAttemptTimeout(id));
        connecting = Connector.open(host, perAttempt, tls, new Connector.Handler() {
            @Override
            public void connected(Connection c) {
                actor.execute(() -> onTcpConnected(id, host, c));
            }

            @Override
            public void failed(Throwable error) {
                actor.execute(() -> attemptFailed(id, error));
            }

            @Override
            public void frame(Connection c, ByteBuf frame) {
                actor.execute(core.onFrame, c, frame);
            }

            @Override
            public void closed(Connection c) {
                actor.execute(() -> core.onClosed(c));
            }
        });
    }

    private void onTcpConnected(int id, ConnectString.HostPort host, Connection c) {
        if (id != attemptId || !core.seeksServer()) {
            c.dispose();
            return;
        }
        if (c.isDisposed()) {
            attemptFailed(id, null);
            return;
        }
        Wire w = new Wire(c, host, id);
        handshaking = w;
        w.send(Frames.connect(w.alloc(), core.connectRequest()));
    }

    private void onAttemptTimeout(int id) {
        if (id != attemptId || core.onWire(id)) {
            return;
        }
        log.debug("connection attempt {} timed out", id);
        if (handshaking != null && handshaking.id == id) {
            handshaking.close();
        }
        attemptFailed(id, null);
    }

    /** Attempt {@code id} failed ({@code error} null when there is nothing to tell): the next server, or a pause. */
    void attemptFailed(int id, Throwable error) {
        if (id != attemptId || !core.seeksServer()) {
            return;
        }
        attemptId++; // late callbacks of this attempt are ignored from now on
        ClientCore.cancel(attemptTimer);
        ClientCore.dispose(connecting);
        if (handshaking != null) {
            handshaking.close();
            handshaking = null;
        }
        if (error != null) {
            log.debug("connection attempt failed: {}", error.toString());
            lastAttemptError = error;
        }
        if (++failedInRound < hosts.size()) {
            attempt();
            return;
        }
        failedInRound = 0;
        long backoff = Math.min(MAX_BACKOFF.toMillis(), 25L << Math.min(failedRounds++, 10));
        attemptTimer = core.schedule(backoff, this::attempt);
    }

    /** The current attempt failed (its server refused the session). */
    void failCurrent() {
        attemptFailed(attemptId, null);
    }

    /** The connection whose handshake is awaited, or null. */
    Wire handshaking() {
        return handshaking;
    }

    /** The server answered the handshake: the attempt's deadline no longer applies. */
    void answered() {
        ClientCore.cancel(attemptTimer);
        handshaking = null;
    }

    /** A session was established: the next search starts a new round. */
    void succeeded() {
        failedInRound = 0;
        failedRounds = 0;
    }

    /** The connection was lost: the search starts again, on a new round. */
    void reconnect() {
        failedInRound = 0;
        attempt();
    }

    /** The session ended: the attempt under way is abandoned and its late callbacks ignored. */
    void stop() {
        ClientCore.cancel(attemptTimer);
        ClientCore.dispose(connecting);
        attemptId++;
        if (handshaking != null) {
            handshaking.close();
            handshaking = null;
        }
    }

    Throwable lastError() {
        return lastAttemptError;
    }
}
