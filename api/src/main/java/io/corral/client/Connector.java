package io.corral.client;

import java.time.Duration;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import reactor.core.Disposable;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;

/**
 * Opens TCP connections with Reactor Netty: a length-field frame decoder in the pipeline, each inbound frame
 * (retained, to be released by the consumer) and the end of the connection reported through callbacks.
 */
final class Connector {
    /** Largest frame accepted from a server: jute.maxbuffer plus room for headers. */
    static final int MAX_FRAME = 0xFFFFF + 1024;

    interface Handler {
        void connected(Connection connection);

        void failed(Throwable error);

        void frame(Connection connection, ByteBuf frame);

        void closed(Connection connection);
    }

    private Connector() {
    }

    /**
     * Connects to {@code host}; with {@code tls} (null: plaintext) the connection is reported once its TLS handshake
     * succeeded, and a failed handshake (an untrusted certificate, a wrong host name) is a failed attempt.
     */
    static Disposable open(ConnectString.HostPort host, Duration timeout, ClientTlsContext tls, Handler handler) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        TcpClient client = TcpClient.newConnection()
                .host(host.host())
                .port(host.port())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis)
                .option(ChannelOption.TCP_NODELAY, true)
                .doOnConnected(c -> c.addHandlerLast("corral-frames",
                        new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4)));
        if (tls != null) {
            client = client.secure(spec -> spec.sslContext(tls.context()).handshakeTimeout(timeout)
                    .handlerConfigurator(tls::configure));
        }
        return client.connect().subscribe(c -> wire(c, handler), handler::failed);
    }

    private static void wire(Connection c, Handler handler) {
        Consumer<ByteBuf> onFrame = buf -> handler.frame(c, buf);
        c.onDispose(() -> handler.closed(c));
        c.inbound().receive().retain().subscribe(onFrame, e -> c.dispose(), c::dispose);
        handler.connected(c);
    }
}
