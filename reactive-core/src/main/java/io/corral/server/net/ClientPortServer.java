package io.corral.server.net;

import io.corral.server.config.ServerConfig;
import io.corral.server.sequencer.Sequencer;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The client port: a Reactor Netty TCP server whose pipeline is two small handlers, framing and the connection.
 * It runs on its own event loops so that servers in one JVM (tests) do not share or leak them.
 */
public final class ClientPortServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClientPortServer.class);

    private final LoopResources loops;
    private final DisposableServer server;

    private ClientPortServer(LoopResources loops, DisposableServer server) {
        this.loops = loops;
        this.server = server;
    }

    public static ClientPortServer bind(ServerConfig config, Sequencer sequencer) {
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        LoopResources loops = LoopResources.create("corral-io", 1, workers, true);
        ConnectionLimiter limiter = new ConnectionLimiter(config.maxClientCnxns());
        DisposableServer server = TcpServer.create()
                .runOn(loops)
                .bindAddress(config::clientAddress)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // a four-letter word followed by a half-close (nc -N, FourLetterWordMain) is still answered
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                // Netty 4.2's adaptive allocator may park on a lock when it grows; the pooled one never does
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .doOnConnection(connection -> {
                    InetAddress address = ((InetSocketAddress) connection.channel().remoteAddress()).getAddress();
                    if (!limiter.tryAcquire(address)) {
                        ClientConnection.WARNINGS.warn(log, "max-client-cnxns", "Too many connections from " + address
                                + " - max is " + config.maxClientCnxns());
                        connection.channel().close();
                        return;
                    }
                    connection.onDispose(() -> limiter.release(address));
                    connection.addHandlerLast("corral-frames", new FrameDecoder(config.juteMaxBuffer()));
                    connection.addHandlerLast("corral-client",
                            new ClientConnection(connection.channel(), sequencer, config.juteMaxBuffer(),
                                    config.clientOutboundLimitBytes(), config.clientSlowReaderTimeoutMs()));
                })
                .handle((in, out) -> Mono.never())
                .bindNow(Duration.ofSeconds(10));
        return new ClientPortServer(loops, server);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.address();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
    }
}
