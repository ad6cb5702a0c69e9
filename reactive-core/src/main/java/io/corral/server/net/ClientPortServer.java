package io.corral.server.net;

import io.corral.protocol.Id;
import io.corral.server.config.ServerConfig;
import io.corral.server.config.TlsConfig;
import io.corral.server.sequencer.Sequencer;
import io.corral.server.tls.TlsEndpoint;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The client ports: Reactor Netty TCP servers whose pipeline is two small handlers, framing and the connection;
 * on the secure port ({@code secureClientPort}) and on a unified one ({@code client.portUnification}) TLS comes
 * first (see {@link TlsEndpoint}). They run on their own event loops so that servers in one JVM (tests) do not share
 * or leak them.
 */
public final class ClientPortServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClientPortServer.class);

    /** What a port speaks. */
    private enum Mode { PLAINTEXT, TLS, UNIFIED }

    private final LoopResources loops;
    private final TlsEndpoint tls;
    private volatile DisposableServer plaintext;
    private final DisposableServer secure;
    private final ServerConfig config;
    private final Sequencer sequencer;
    private final ConnectionLimiter limiter;

    private ClientPortServer(LoopResources loops, TlsEndpoint tls, DisposableServer plaintext,
                             DisposableServer secure, ServerConfig config, Sequencer sequencer,
                             ConnectionLimiter limiter) {
        this.config = config;
        this.sequencer = sequencer;
        this.limiter = limiter;
        this.loops = loops;
        this.tls = tls;
        this.plaintext = plaintext;
        this.secure = secure;
    }

    public static ClientPortServer bind(ServerConfig config, Sequencer sequencer) {
        TlsConfig tlsConfig = config.tls();
        TlsEndpoint tls = tlsConfig.client() == null ? null : TlsEndpoint.start(tlsConfig.client());
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        LoopResources loops = LoopResources.create("corral-io", 1, workers, true);
        ConnectionLimiter limiter = new ConnectionLimiter(config.maxClientCnxns());
        DisposableServer plaintext = null;
        try {
            plaintext = !tlsConfig.plaintextClientPort() ? null : listen(config.clientAddress(), loops, config,
                    sequencer, limiter, tls, tlsConfig.portUnification() ? Mode.UNIFIED : Mode.PLAINTEXT);
            DisposableServer secure = tlsConfig.secureClientAddress() == null ? null
                    : listen(tlsConfig.secureClientAddress(), loops, config, sequencer, limiter, tls, Mode.TLS);
            return new ClientPortServer(loops, tls, plaintext, secure, config, sequencer, limiter);
        } catch (RuntimeException e) {
            if (plaintext != null) {
                plaintext.disposeNow(Duration.ofSeconds(5));
            }
            if (tls != null) {
                tls.close();
            }
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
            throw e;
        }
    }

    private static DisposableServer listen(InetSocketAddress address, LoopResources loops, ServerConfig config,
                                           Sequencer sequencer, ConnectionLimiter limiter, TlsEndpoint tls,
                                           Mode mode) {
        return TcpServer.create()
                .runOn(loops)
                .bindAddress(() -> address)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // a four-letter word followed by a half-close (nc -N, FourLetterWordMain) is still answered
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                // Netty 4.2's adaptive allocator may park on a lock when it grows; the pooled one never does
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .doOnConnection(connection -> {
                    InetAddress remote = ((InetSocketAddress) connection.channel().remoteAddress()).getAddress();
                    if (!limiter.tryAcquire(remote)) {
                        ClientConnection.WARNINGS.warn(log, "max-client-cnxns", "Too many connections from " + remote
                                + " - max is " + config.maxClientCnxns());
                        connection.channel().close();
                        return;
                    }
                    connection.onDispose(() -> limiter.release(remote));
                    Consumer<List<Id>> serve = ids -> serve(connection, config, sequencer, ids);
                    switch (mode) {
                        case PLAINTEXT -> serve.accept(List.of());
                        case TLS -> tls.secure(connection.channel(), serve);
                        case UNIFIED -> tls.detect(connection.channel(), serve);
                    }
                })
                .handle((in, out) -> Mono.never())
                .bindNow(Duration.ofSeconds(10));
    }

    /** The client protocol's handlers; {@code ids} are what the transport proved (a TLS client's x509 ids). */
    private static void serve(Connection connection, ServerConfig config, Sequencer sequencer, List<Id> ids) {
        connection.addHandlerLast("corral-frames", new FrameDecoder(config.juteMaxBuffer()));
        connection.addHandlerLast("corral-client",
                new ClientConnection(connection.channel(), sequencer, config.juteMaxBuffer(),
                        config.clientOutboundLimitBytes(), config.clientSlowReaderTimeoutMs(), ids));
    }

    /**
     * A reconfiguration changed this server's client address: the plaintext port listens on {@code next}, then the
     * old one closes (as ZooKeeper's connection factory is reconfigured). Blocks while binding: never call it on an
     * event loop or the sequencer.
     */
    public synchronized void moveTo(InetSocketAddress next) {
        DisposableServer old = plaintext;
        if (old == null || old.address().equals(next)) {
            return;
        }
        plaintext = listen(next, loops, config, sequencer, limiter, tls,
                config.tls().portUnification() ? Mode.UNIFIED : Mode.PLAINTEXT);
        log.info("Listening for clients on {} instead of {} (a reconfiguration moved this server's client port)",
                plaintext.address(), old.address());
        old.disposeNow(Duration.ofSeconds(5));
    }

    /** The plaintext client port's address, or the secure one's when there is only a secure port. */
    public InetSocketAddress address() {
        return (InetSocketAddress) (plaintext != null ? plaintext : secure).address();
    }

    /** The secure client port's address, or null when there is none. */
    public InetSocketAddress secureAddress() {
        return secure == null ? null : (InetSocketAddress) secure.address();
    }

    @Override
    public synchronized void close() {
        if (plaintext != null) {
            plaintext.disposeNow(Duration.ofSeconds(5));
        }
        if (secure != null) {
            secure.disposeNow(Duration.ofSeconds(5));
        }
        if (tls != null) {
            tls.close();
        }
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
    }
}
