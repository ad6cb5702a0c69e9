package io.corral.server.peer;

import io.corral.server.config.QuorumSaslConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The links between servers, on Reactor Netty: one TCP connection per pair of servers, dialed by the server with the
 * higher id and redialed with back-off while it is down; a server that starts asks those with a higher id to dial it
 * now. Messages arrive decoded in one bounded queue that the
 * sequencer thread drains ({@link #poll()}); the sequencer sends already-encoded messages with {@link #send}.
 * Connections are secured, both ways, as {@link PeerTls} says ({@code sslQuorum}, {@code portUnification}) before
 * the first frame is read or written.
 */
public final class PeerTransport implements PeerNetwork {
    private static final Logger log = LoggerFactory.getLogger(PeerTransport.class);
    private static final int INBOX = 1 << 16;
    private static final Duration MIN_REDIAL = Duration.ofMillis(50);
    /**
     * A peer that is down is dialed again at most this long after the last try: a member restarted after a crash
     * that waits to be dialed (the higher id dials) can only rejoin, and count for a quorum, once it is.
     */
    private static final Duration MAX_REDIAL = Duration.ofMillis(250);

    /** Turns a frame's bytes into a protocol message; throws on anything malformed. */
    @FunctionalInterface
    public interface Decoder {
        Object decode(ByteBuf frame);
    }

    private final Duration minRedial;
    private final Duration maxRedial;
    private final long myId;
    private final Map<Long, InetSocketAddress> peers;
    private final int maxFrame;
    private final Decoder decoder;
    private final Runnable wake;
    private final PeerTls tls;
    private final MpscArrayQueue<PeerEvent> inbox = new MpscArrayQueue<>(INBOX);
    private final Map<Long, PeerLink> links = new ConcurrentHashMap<>();
    /** Peers with a lower id that are down, and the redial waiting for each. */
    private final Map<Long, Redial> redials = new ConcurrentHashMap<>();
    private final AtomicLong linkIds = new AtomicLong();
    private final Disposable.Composite dialers = Disposables.composite();
    private final LoopResources loops;
    private final QuorumSasl sasl;
    private final DisposableServer server;
    private volatile boolean running = true;
    /**
     * With reconfiguration a server not in this one's configuration may dial it: a new server syncing before the
     * reconfig that adds it, or a member of a configuration this server has not activated yet.
     */
    private volatile boolean acceptsUnknownPeers;

    /**
     * Listens on {@code bind} and starts dialing the peers with a lower id. {@code peers} maps every other server
     * of the ensemble to its peer address; {@code wake} is called after an event is queued.
     */
    public PeerTransport(long myId, InetSocketAddress bind, Map<Long, InetSocketAddress> peers, int maxFrame,
                         Decoder decoder, Runnable wake, PeerTls tls) {
        this(myId, bind, peers, maxFrame, decoder, wake, MIN_REDIAL, MAX_REDIAL, tls, QuorumSasl.OFF);
    }

    /** As above, the links authenticated with quorum SASL as {@code sasl} says. */
    public PeerTransport(long myId, InetSocketAddress bind, Map<Long, InetSocketAddress> peers, int maxFrame,
                         Decoder decoder, Runnable wake, PeerTls tls, QuorumSaslConfig sasl) {
        this(myId, bind, peers, maxFrame, decoder, wake, MIN_REDIAL, MAX_REDIAL, tls, new QuorumSasl(sasl));
    }

    /** As above, with the redial back-off's bounds (tests). */
    PeerTransport(long myId, InetSocketAddress bind, Map<Long, InetSocketAddress> peers, int maxFrame,
                  Decoder decoder, Runnable wake, Duration minRedial, Duration maxRedial) {
        this(myId, bind, peers, maxFrame, decoder, wake, minRedial, maxRedial, PeerTls.PLAINTEXT, QuorumSasl.OFF);
    }

    private PeerTransport(long myId, InetSocketAddress bind, Map<Long, InetSocketAddress> peers, int maxFrame,
                          Decoder decoder, Runnable wake, Duration minRedial, Duration maxRedial, PeerTls tls,
                          QuorumSasl sasl) {
        this.sasl = sasl;
        this.minRedial = minRedial;
        this.maxRedial = maxRedial;
        this.myId = myId;
        this.peers = new ConcurrentHashMap<>(peers);
        this.maxFrame = maxFrame;
        this.decoder = decoder;
        this.wake = wake;
        this.tls = tls;
        this.loops = LoopResources.create("corral-peer", 1, 2, true);
        this.server = listen(bind);
        log.info("Server {} listening for peers on {}{}{}", myId, server.address(), tls, sasl);
        for (Map.Entry<Long, InetSocketAddress> peer : this.peers.entrySet()) {
            if (peer.getKey() < myId) {
                dial(peer.getKey(), peer.getValue(), minRedial);
            } else {
                askToBeDialed(peer.getKey(), peer.getValue());
            }
        }
    }

    private DisposableServer listen(InetSocketAddress bind) {
        try {
            return TcpServer.create()
                    .runOn(loops)
                    .bindAddress(() -> bind)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .doOnConnection(connection -> tls.accepted(connection.channel(), () -> install(connection, -1)))
                    .handle((in, out) -> Mono.never())
                    .bindNow(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
            tls.close();
            throw e;
        }
    }

    /**
     * Tells a peer with a higher id that this server has just started: a hello on a connection of its own, which the
     * peer answers by dialing at once instead of when its back-off next allows (up to {@link #MAX_REDIAL} later),
     * then closes. A peer that is down, or one of a version that does not know this, just closes it. Not sent when
     * the peer has dialed this server by the time the connection is up (both starting together).
     */
    private void askToBeDialed(long peer, InetSocketAddress address) {
        dialers.add(TcpClient.create()
                .runOn(loops)
                .remoteAddress(() -> address)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1000)
                .doOnConnected(connection -> tls.dialed(connection.channel(), () -> {
                    Channel channel = connection.channel();
                    if (links.containsKey(peer)) {
                        // the peer dialed first (it started meanwhile): nothing to ask, and the ask would read there
                        // as "this server started again" and close that new link
                        channel.close();
                        return;
                    }
                    ByteBuf hello = channel.alloc().buffer(4 + Hello.SIZE);
                    new Hello(Hello.VERSION, myId, peer).writeTo(hello);
                    channel.writeAndFlush(hello).addListener(ChannelFutureListener.CLOSE);
                }))
                .handle((in, out) -> Mono.never())
                .connect()
                .subscribe(connection -> { }, error -> log.debug("Cannot ask server {} at {} to dial: {}", peer,
                        address, error.toString())));
    }

    private PeerLink install(Connection connection, long dialed) {
        PeerLink link = new PeerLink(this, connection.channel(), dialed, linkIds.incrementAndGet());
        connection.addHandlerLast("corral-peer-frames", new LengthFieldBasedFrameDecoder(maxFrame, 0, 4, 0, 4));
        connection.addHandlerLast("corral-peer-link", link);
        return link;
    }

    private void dial(long peer, InetSocketAddress address, Duration backoff) {
        if (!running || !address.equals(peers.get(peer))) {
            return; // a reconfiguration removed the peer, or moved it
        }
        // the link once its TLS handshake (if any) is over; its hello tells whether the peer took it
        AtomicReference<PeerLink> link = new AtomicReference<>();
        Disposable attempt = TcpClient.create()
                .runOn(loops)
                .remoteAddress(() -> address)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1000)
                .doOnConnected(connection -> tls.dialed(connection.channel(),
                        () -> link.set(install(connection, peer))))
                .handle((in, out) -> Mono.never())
                .connect()
                .subscribe(
                        // a peer that refused the link (an untrusted certificate, say) is not redialed at once
                        connection -> connection.onDispose(() -> redial(peer, address,
                                link.get() != null && link.get().attached() ? minRedial : longer(backoff))),
                        error -> {
                            log.debug("Cannot reach server {} at {}: {}", peer, address, error.toString());
                            redial(peer, address, longer(backoff));
                        });
        dialers.add(attempt);
    }

    private Duration longer(Duration backoff) {
        return backoff.multipliedBy(2).compareTo(maxRedial) > 0 ? maxRedial : backoff.multipliedBy(2);
    }

    private void redial(long peer, InetSocketAddress address, Duration after) {
        if (running) {
            Redial redial = new Redial(peer, address, after);
            redials.put(peer, redial);
            dialers.add(Mono.delay(after).subscribe(x -> redial.dial()));
        }
    }

    /** A dial that waits out its back-off; it dials once, when its time comes or when the peer asks. */
    private final class Redial {
        private final long peer;
        private final InetSocketAddress address;
        private final Duration backoff;

        Redial(long peer, InetSocketAddress address, Duration backoff) {
            this.peer = peer;
            this.address = address;
            this.backoff = backoff;
        }

        void dial() {
            if (redials.remove(peer, this)) {
                PeerTransport.this.dial(peer, address, backoff);
            }
        }

        void dialNow() {
            if (redials.remove(peer, this)) {
                PeerTransport.this.dial(peer, address, minRedial);
            }
        }
    }

    /**
     * Whether a hello from {@code sender} is a member with a lower id asking to be dialed (it has just started, see
     * {@link #askToBeDialed}); if so, a redial to it that waits out its back-off goes now, and a link this server
     * still holds to it, from before it started, is closed (and redialed). A dial on its way is left alone.
     */
    boolean askedToDial(long sender) {
        if (sender >= myId || !peers.containsKey(sender)) {
            return false;
        }
        PeerLink stale = links.get(sender);
        if (stale != null) {
            // the peer has just started, so a link to it is from its previous run, half-open perhaps (nothing is
            // sent to a member that is not a learner, so nothing would ever show it dead): drop it, and redial
            stale.close("server " + sender + " started again");
        }
        Redial waiting = redials.get(sender);
        if (waiting != null) {
            waiting.dialNow();
        }
        return true;
    }

    long myId() {
        return myId;
    }

    /** Whether a redial to {@code peer} waits out its back-off (tests). */
    boolean waitsToRedial(long peer) {
        return redials.containsKey(peer);
    }

    Decoder decoder() {
        return decoder;
    }

    /** Why a hello from this server is refused on the accepting side, or null if it is welcome. */
    /** How the links authenticate each other (quorum SASL), if at all. */
    QuorumSasl sasl() {
        return sasl;
    }

    String acceptable(long sender) {
        if (!peers.containsKey(sender) && (!acceptsUnknownPeers || sender <= myId)) {
            return "not a member of this ensemble";
        }
        return sender > myId ? null : sender == myId ? "this server's own id" : "the server with the higher id dials";
    }

    /** A link finished its hello: it replaces any older link to the same peer (the peer restarted, say). */
    void attach(PeerLink link) {
        PeerLink old = links.put(link.peer(), link);
        if (old != null && old != link) {
            old.close("replaced by a newer link");
        }
    }

    void detach(PeerLink link) {
        links.remove(link.peer(), link);
    }

    boolean deliver(PeerEvent event) {
        if (!inbox.offer(event)) {
            return false;
        }
        wake.run();
        return true;
    }

    /** The next event from the links, or null; sequencer thread only. */
    @Override
    public PeerEvent poll() {
        return inbox.poll();
    }

    @Override
    public boolean hasEvents() {
        return !inbox.isEmpty();
    }

    /** Queues an encoded message to a peer; false when there is no link to it or the link is overwhelmed. */
    @Override
    public boolean send(long peer, byte[] message) {
        PeerLink link = links.get(peer);
        return link != null && link.send(message);
    }

    @Override
    public PeerLinkStatus status(long peer) {
        PeerLink link = links.get(peer);
        return link == null ? null : link.status();
    }

    /** Links from servers outside the configuration are accepted (reconfigEnabled); before any is dialed. */
    public void acceptUnknownPeers() {
        acceptsUnknownPeers = true;
    }

    /** Sequencer thread: the members after a reconfiguration (see {@link PeerNetwork#updatePeers}). */
    @Override
    public void updatePeers(Map<Long, InetSocketAddress> next) {
        for (Long gone : List.copyOf(peers.keySet())) {
            if (!next.containsKey(gone)) {
                // not redialed; a link open now is left to close with the removed server (closing it here could
                // drop the commit that tells the server it was removed, and it would go on as a new server would)
                peers.remove(gone);
                redials.remove(gone);
                log.info("Server {}: server {} is no longer a member", myId, gone);
            }
        }
        for (Map.Entry<Long, InetSocketAddress> peer : next.entrySet()) {
            InetSocketAddress before = peers.put(peer.getKey(), peer.getValue());
            if (peer.getValue().equals(before) || !running) {
                continue;
            }
            log.info("Server {}: server {} is a member at {}", myId, peer.getKey(), peer.getValue());
            if (links.get(peer.getKey()) != null) {
                // already linked (a new server dials the members it knows before it is added): asking it to dial
                // would read there as "this server started again" and close the link it may lead or follow on
                continue;
            }
            if (peer.getKey() < myId) {
                dial(peer.getKey(), peer.getValue(), minRedial);
            } else {
                askToBeDialed(peer.getKey(), peer.getValue());
            }
        }
    }

    /** Closes the current link to a peer (the protocol gave up on it); it will be redialed. */
    @Override
    public void disconnect(long peer, String reason) {
        PeerLink link = links.get(peer);
        if (link != null) {
            link.close(reason);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.address();
    }

    @Override
    public void close() {
        running = false;
        dialers.dispose();
        server.disposeNow(Duration.ofSeconds(5));
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        tls.close();
    }
}
