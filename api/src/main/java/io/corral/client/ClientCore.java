package io.corral.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.corral.protocol.ConnectRequest;
import io.corral.protocol.ConnectResponse;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.JuteInput;
import io.corral.protocol.OpCode;
import io.corral.protocol.Record;
import io.corral.protocol.ReplyHeader;
import io.corral.protocol.StreamFrame;
import io.corral.protocol.WatcherEvent;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * The session state machine of one client: connecting and reconnecting through the servers of the connect string,
 * the handshake, the request window (FIFO matching of replies by xid, at most maxPendingRequests in flight), pings,
 * re-authentication and re-registration of watches, expiry and close. Its parts are classes of their own, on the
 * same actor: {@link ConnectAttempts}, {@link RequestWindow}, {@link Authentications}, {@link KeepAlive},
 * {@link WatchReregistration} and {@link Rebalancing}.
 *
 * <p>Every field below the constructor is touched only from tasks of {@link #actor}; network callbacks, timers and
 * callers' threads all hand their work to it, so nothing here locks or waits.
 */
final class ClientCore {
    private static final Logger log = LoggerFactory.getLogger(ClientCore.class);
    private static final int XID_NOTIFICATION = -1;
    static final int XID_PING = -2;
    static final int XID_AUTH = -4;

    private enum Phase { STARTING, CONNECTED, SUSPENDED, CLOSING, EXPIRED, CLOSED }

    final Chroot chroot;
    final ClientOptions options;
    final SerialExecutor actor = new SerialExecutor();
    private final Scheduler timers = Schedulers.parallel();
    private final Sinks.Many<ConnectionState> states = Sinks.many().replay().latest();
    /** Every notification frame, for subscribers present when it arrives; emitted from the actor only. */
    private final Sinks.Many<Notification> notifications = Sinks.many().multicast().directBestEffort();
    private volatile ConnectionState stateView;
    private volatile long sessionIdView;
    private volatile int timeoutView;

    /** {@link #onFrame(Connection, ByteBuf)}, made once: most frames run it with nothing allocated to hand it over. */
    final BiConsumer<Connection, ByteBuf> onFrame = this::onFrame;

    // ---- actor-confined ----
    private final WatchRegistry watches;
    private final StreamRoutes streams = new StreamRoutes();
    private final RequestWindow window;
    private final Authentications authentications;
    private final List<MonoSink<Void>> closeSinks = new ArrayList<>();
    private Phase phase = Phase.STARTING;
    private long sessionId;
    private byte[] passwd = new byte[16];
    private long lastZxid;
    private int timeoutMs;
    private volatile Wire wire;
    private final HostList hosts;
    private long disconnectedAt;
    private boolean connectedBefore;
    /** The current connection is to a read-only server. */
    private boolean readOnly;
    /** A read-write server granted this session (a read-only server's session is unknown to the quorum). */
    private boolean seenReadWrite;
    private final ReadWriteSearch readWriteSearch;
    private final ConnectAttempts attempts;
    private final KeepAlive keepAlive;
    private final Rebalancing rebalancing;
    private Disposable lifeTimer;
    private MonoSink<CorralClient> connectSink;
    private CorralClient client;

    ClientCore(ConnectString connectString, ClientOptions options, long sessionId, byte[] passwd) {
        this(connectString, options);
        this.sessionId = sessionId;
        this.passwd = passwd.clone();
        this.seenReadWrite = sessionId != 0;
    }

    ClientCore(ConnectString connectString, ClientOptions options) {
        this.chroot = connectString.chroot();
        this.hosts = new HostList(connectString.hosts(), new Random(), options.shuffleHosts());
        this.readWriteSearch = new ReadWriteSearch(hosts, actor, this::schedule, this::onReadWriteServer);
        this.options = options;
        this.watches = new WatchRegistry(chroot);
        this.window = new RequestWindow(options.maxPendingRequests(), watches, actor);
        this.authentications = new Authentications(options.auth());
        this.timeoutMs = (int) options.sessionTimeout().toMillis();
        this.attempts = new ConnectAttempts(this, hosts, options.tls() == null ? null
                : ClientTlsContext.of(options.tls()), actor);
        this.keepAlive = new KeepAlive(this, timers, actor);
        this.rebalancing = new Rebalancing(this, hosts);
    }

    // ================= views (any thread) =================

    Flux<Notification> notifications() {
        return notifications.asFlux();
    }

    Flux<ConnectionState> states() {
        return states.asFlux();
    }

    ConnectionState state() {
        return stateView;
    }

    long sessionId() {
        return sessionIdView;
    }

    Duration negotiatedTimeout() {
        return Duration.ofMillis(timeoutView);
    }

    // ================= lifecycle =================

    void start(CorralClient owner, MonoSink<CorralClient> sink) {
        actor.execute(() -> {
            client = owner;
            connectSink = sink;
            lifeTimer = schedule(options.connectionTimeout().toMillis(), this::onConnectTimeout);
            attempts.attempt();
        });
    }

    private void onConnectTimeout() {
        if (phase != Phase.STARTING) {
            return;
        }
        MonoSink<CorralClient> sink = connectSink;
        connectSink = null;
        try {
            finishClose();
        } finally { // the caller of connect() hears of it even if closing failed
            if (sink != null) {
                Throwable lastError = attempts.lastError();
                sink.error(new KeeperErrorException(ErrorCode.CONNECTION_LOSS, null,
                        "no server of " + hosts.hosts() + " answered within " + options.connectionTimeout()
                                + (lastError == null ? "" : " (last attempt: " + lastError + ")"), lastError));
            }
        }
    }

    Mono<Void> close() {
        return Mono.create(sink -> actor.execute(() -> {
            switch (phase) {
                case CLOSED, EXPIRED -> sink.success();
                case CLOSING -> closeSinks.add(sink);
                case CONNECTED -> {
                    phase = Phase.CLOSING;
                    closeSinks.add(sink);
                    window.failWaiting(new ClientClosedException());
                    sendNow(new Pending(OpCode.CLOSE_SESSION, null, null, ReplyDecoder.NONE,
                            Pending.Outcome.IGNORE, null));
                    long closeWait = options.requestTimeout() != null
                            ? options.requestTimeout().toMillis() : Math.max(1000, timeoutMs / 3);
                    cancel(lifeTimer);
                    lifeTimer = schedule(closeWait, this::finishClose);
                }
                default -> {
                    closeSinks.add(sink);
                    finishClose();
                }
            }
        }));
    }

    // ================= connecting (see ConnectAttempts) =================

    /** Whether the session wants a server: starting, or its connection was lost. */
    boolean seeksServer() {
        return phase == Phase.STARTING || phase == Phase.SUSPENDED;
    }

    int timeoutMs() {
        return timeoutMs;
    }

    /** The session id as the actor knows it (before the first handshake, the one to resume, if any). */
    long currentSessionId() {
        return sessionId;
    }

    /** Whether {@code w} is the session's current connection. */
    boolean isCurrent(Wire w) {
        return w == wire;
    }

    /** Whether the current connection is the one attempt {@code id} made. */
    boolean onWire(int id) {
        return wire != null && wire.id == id;
    }

    /** The handshake a new server is sent. */
    ConnectRequest connectRequest() {
        // a session only a read-only server knows is not offered to the next server (ZooKeeper's client: same)
        long offered = seenReadWrite ? sessionId : 0;
        return new ConnectRequest(0, lastZxid, (int) options.sessionTimeout().toMillis(),
                offered, offered == 0 ? new byte[16] : passwd, options.canBeReadOnly(), ConnectRequest.CORRAL_STREAMS);
    }

    private void onHandshake(Wire w, ConnectResponse response) {
        attempts.answered();
        if (response.timeOut() <= 0) {
            w.close();
            if (!seenReadWrite) {
                attempts.failCurrent();
            } else {
                expire("the server reports session 0x" + Long.toHexString(sessionId) + " expired");
            }
            return;
        }
        boolean resumed = connectedBefore;
        connectedBefore = true;
        readOnly = Boolean.TRUE.equals(response.readOnly());
        w.streamsOffered = (response.extensions() & ConnectRequest.CORRAL_STREAMS) != 0;
        if (!readOnly) {
            seenReadWrite = true;
        }
        if (sessionId != 0 && sessionId != response.sessionId()) {
            log.info("session 0x{} was only known to a read-only server; the read-write server {} granted 0x{}",
                    Long.toHexString(sessionId), w.host, Long.toHexString(response.sessionId()));
        }
        sessionId = response.sessionId();
        passwd = response.passwd();
        timeoutMs = response.timeOut();
        sessionIdView = sessionId;
        timeoutView = timeoutMs;
        w.handshakeDone = true;
        wire = w;
        hosts.connected(w.host);
        attempts.succeeded();
        phase = Phase.CONNECTED;
        cancel(lifeTimer);
        keepAlive.start(w);
        authentications.sendAll(w);
        ConnectionState connectedState = readOnly ? ConnectionState.CONNECTED_READ_ONLY
                : resumed ? ConnectionState.RECONNECTED : ConnectionState.CONNECTED;
        WatchReregistration.send(this, resumed ? watches.resume(lastZxid) : List.of(), connectedState);
        if (readOnly) {
            readWriteSearch.start(w.host, timeoutMs);
        }
        pump();
        if (connectSink != null) {
            MonoSink<CorralClient> sink = connectSink;
            connectSink = null;
            sink.success(client);
        }
    }

    // ================= inbound =================

    private void onFrame(Connection c, ByteBuf frame) {
        try {
            Wire w = wireOf(c);
            if (w == null) {
                return;
            }
            JuteInput in = new JuteInput(frame, Connector.MAX_FRAME);
            if (!w.handshakeDone) {
                w.lastAnswerNanos = System.nanoTime();
                onHandshake(w, ConnectResponse.read(in));
                return;
            }
            // the reply header's fields (ReplyHeader's order), a record made only for a reply
            int xid = in.readInt();
            long zxid = in.readLong();
            int err = in.readInt();
            if (xid != XID_NOTIFICATION && xid != StreamFrame.XID && xid != StreamFrame.XID_WITH_STAT) {
                w.lastAnswerNanos = System.nanoTime();
            }
            switch (xid) {
                case XID_NOTIFICATION -> {
                    WatcherEvent event = WatcherEvent.read(in);
                    watches.dispatch(event.type(), event.path());
                    String path = event.path() == null ? null : chroot.toClient(event.path());
                    notifications.tryEmitNext(new Notification(event.type(), event.state(), path, zxid));
                }
                case XID_PING -> { }
                case StreamFrame.XID -> streams.dispatch(in, false);
                case StreamFrame.XID_WITH_STAT -> streams.dispatch(in, true);
                case XID_AUTH -> authentications.replied(err);
                default -> onReply(w, new ReplyHeader(xid, zxid, err), in);
            }
        } catch (RuntimeException e) {
            log.warn("bad frame from the server, dropping the connection: {}", e.toString());
            Wire w = wireOf(c);
            if (w != null) {
                w.close();
            }
        } finally {
            frame.release();
        }
    }

    private Wire wireOf(Connection c) {
        if (wire != null && wire.connection == c) {
            return wire;
        }
        Wire handshaking = attempts.handshaking();
        if (handshaking != null && handshaking.connection == c) {
            return handshaking;
        }
        return null;
    }

    private void onReply(Wire w, ReplyHeader header, JuteInput in) {
        Pending p = window.answered(header.xid());
        if (p == null) {
            w.close();
            return;
        }
        if (header.zxid() > lastZxid) {
            lastZxid = header.zxid();
        }
        int err = header.err();
        if (log.isTraceEnabled()) {
            log.trace("session 0x{}: reply xid {} err {}", Long.toHexString(sessionId), p.xid, err);
        }
        if (!window.complete(p, err, in)) {
            pump();
            return;
        }
        if (p.opCode == OpCode.CLOSE_SESSION) {
            finishClose();
            return;
        }
        pump();
    }

    void onClosed(Connection c) {
        Wire handshaking = attempts.handshaking();
        if (handshaking != null && handshaking.connection == c) {
            attempts.attemptFailed(handshaking.id, null);
        } else if (wire != null && wire.connection == c) {
            connectionLost();
        }
    }

    void connectionLost() {
        log.debug("session 0x{}: lost {}", Long.toHexString(sessionId), wire);
        wire.close();
        wire = null;
        rebalancing.ended();
        readOnly = false;
        keepAlive.stop();
        readWriteSearch.stop();
        window.failInFlight(new KeeperErrorException(ErrorCode.CONNECTION_LOSS, null));
        authentications.failInFlight(new KeeperErrorException(ErrorCode.CONNECTION_LOSS, null));
        if (phase == Phase.CLOSING) {
            finishClose();
            return;
        }
        phase = Phase.SUSPENDED;
        disconnectedAt = System.nanoTime();
        publish(ConnectionState.SUSPENDED);
        cancel(lifeTimer);
        lifeTimer = schedule(timeoutMs, this::onSuspendedTooLong);
        attempts.reconnect();
    }

    /** A read-write server answered while the session is on a read-only one ({@link ReadWriteSearch}): move. */
    private void onReadWriteServer(ConnectString.HostPort host) {
        if (wire == null || !readOnly) {
            return;
        }
        log.info("session 0x{}: {} serves writes, leaving the read-only {}", Long.toHexString(sessionId), host,
                wire.host);
        hosts.nextIs(host);
        connectionLost();
    }

    // ================= a new server list: rebalancing =================

    /** Replaces the server list (ZooKeeper's updateServerList); the session may move ({@link Rebalancing}). */
    void updateServerList(List<ConnectString.HostPort> servers) {
        actor.execute(() -> {
            if (endedWith() != null) {
                return;
            }
            rebalancing.serversChanged(servers, wire);
        });
    }

    /** True when the current connection is to a read-only server. */
    boolean readOnly() {
        return readOnly;
    }

    private void onSuspendedTooLong() {
        if (phase == Phase.SUSPENDED) {
            expire("no server could be reached within the session timeout of " + timeoutMs + " ms");
        }
    }

    // ================= outbound =================

    /** Queues a request; it is sent once connected and fewer than maxPendingRequests are in flight. */
    void submit(Pending p) {
        switch (phase) {
            case EXPIRED -> p.fail(new KeeperErrorException(ErrorCode.SESSION_EXPIRED, p.path));
            case CLOSING, CLOSED -> p.fail(new ClientClosedException());
            default -> {
                window.queue(p);
                pump();
            }
        }
    }

    /** Forgets a request whose caller went away: dropped if not sent yet, its reply ignored otherwise. */
    void cancel(Pending p) {
        window.cancel(p);
    }

    void pump() {
        if (rebalancing.underway()) {
            if (rebalancing.leaves(wire) && window.noneInFlight() && authentications.noneInFlight()) {
                connectionLost(); // every request sent to the server being left is answered: nothing fails
            }
            return;
        }
        while (phase == Phase.CONNECTED && wire != null && window.hasRoom()) {
            Pending p = window.nextWaiting();
            if (p == null) {
                return;
            }
            if (!p.cancelled) {
                sendNow(p);
            }
        }
    }

    /** Sends at once, past the window (internal requests: setWatches, closeSession, removeWatches). */
    void sendNow(Pending p) {
        if (wire == null) {
            p.fail(new KeeperErrorException(ErrorCode.CONNECTION_LOSS, p.path));
            return;
        }
        window.send(wire, p, sessionId);
    }

    /**
     * Whether the server of the current connection did not offer the resumable streams in its handshake (ZooKeeper,
     * or a Corral server older than the offer); any thread, a hint (the connection may change meanwhile).
     */
    boolean streamsUnsupportedHere() {
        Wire w = wire;
        return w != null && !w.streamsOffered;
    }

    /** True when internal requests can go out now. */
    boolean connected() {
        return phase == Phase.CONNECTED && wire != null;
    }

    Mono<Void> addAuth(AuthInfo info) {
        return Mono.create(sink -> actor.execute(() -> {
            switch (phase) {
                case EXPIRED -> sink.error(new KeeperErrorException(ErrorCode.SESSION_EXPIRED, null));
                case CLOSING, CLOSED -> sink.error(new ClientClosedException());
                default -> {
                    authentications.add(info);
                    if (connected()) {
                        authentications.send(wire, new AuthPending(info, sink));
                    } else {
                        sink.success(); // sent with the others when the connection is back
                    }
                }
            }
        }));
    }

    /** Test probe: {in flight, waiting}, read in order after every task submitted before it. */
    Mono<int[]> requestCounts() {
        return Mono.create(sink -> actor.execute(() -> sink.success(window.counts())));
    }

    /** Test probe: the session password. */
    byte[] password() {
        return passwd.clone();
    }

    // ================= watches =================

    WatchRegistry watches() {
        return watches;
    }

    StreamRoutes streams() {
        return streams;
    }

    /** Ends when the session ends: with an error on expiry, normally on close. Null while the session lives. */
    Throwable endedWith() {
        return switch (phase) {
            case EXPIRED -> new KeeperErrorException(ErrorCode.SESSION_EXPIRED, null);
            case CLOSING, CLOSED -> new ClientClosedException();
            default -> null;
        };
    }

    // ================= endings =================

    private void expire(String reason) {
        if (phase == Phase.EXPIRED || phase == Phase.CLOSED) {
            return;
        }
        log.info("session 0x{} expired: {}", Long.toHexString(sessionId), reason);
        phase = Phase.EXPIRED;
        KeeperErrorException error = new KeeperErrorException(ErrorCode.SESSION_EXPIRED, null, reason);
        shutdown(error, error);
        publish(ConnectionState.EXPIRED);
        states.tryEmitComplete();
        if (connectSink != null) {
            connectSink.error(error);
            connectSink = null;
        }
    }

    private void finishClose() {
        if (phase == Phase.EXPIRED || phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        shutdown(new ClientClosedException(), null);
        publish(ConnectionState.CLOSED);
        states.tryEmitComplete();
        if (connectSink != null) {
            connectSink.error(new ClientClosedException());
            connectSink = null;
        }
    }

    private void shutdown(Throwable requestError, Throwable watchError) {
        cancel(lifeTimer);
        keepAlive.stop();
        readWriteSearch.stop();
        attempts.stop();
        if (wire != null) {
            wire.close();
            wire = null;
        }
        window.failInFlight(requestError);
        window.failWaiting(requestError);
        authentications.failInFlight(requestError);
        watches.endAll(watchError);
        notifications.tryEmitComplete();
        for (MonoSink<Void> s : closeSinks) {
            s.success();
        }
        closeSinks.clear();
    }

    void publish(ConnectionState s) {
        stateView = s;
        states.tryEmitNext(s);
    }

    // ================= timers =================

    Disposable schedule(long delayMs, Runnable task) {
        return timers.schedule(() -> actor.execute(task), delayMs, TimeUnit.MILLISECONDS);
    }

    static void cancel(Disposable d) {
        dispose(d);
    }

    static void dispose(Disposable d) {
        if (d != null) {
            d.dispose();
        }
    }

    /** The Record-based request helper every operation goes through. */
    Pending pending(int opCode, String clientPath, Record body, ReplyDecoder decoder, MonoSink<Object> sink,
            OneShotWatch watch) {
        return new Pending(opCode, clientPath, body, decoder, Pending.Outcome.of(sink), watch);
    }
}
