package io.corral.server.tls;

import io.corral.protocol.Id;
import io.corral.server.config.TlsConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * A port's TLS: the current contexts (rebuilt by a {@link StoreWatcher} when the key or trust store file changes,
 * so new connections get the new material while established ones carry on) and the handlers that put a connection
 * behind TLS before the protocol sees it. A client port's endpoint only accepts; a quorum port's also dials peers.
 */
public final class TlsEndpoint implements AutoCloseable {
    static final String SSL_HANDLER = "corral-tls";
    static final String GATE = "corral-tls-gate";

    /** The accepting side's context, and the dialing side's (null on a client port). */
    private record Contexts(SslContext server, SslContext client) {
    }

    private final TlsConfig.Settings settings;
    /** What the connections are, in log lines: "connection" (clients) or "peer connection". */
    private final String kind;
    private final boolean dials;
    private final StoreWatcher watcher;
    private volatile Contexts contexts;

    private TlsEndpoint(TlsConfig.Settings settings, String kind, boolean dials) {
        this.settings = settings;
        this.kind = kind;
        this.dials = dials;
        this.contexts = build(); // bad material stops start-up here, naming the file
        this.watcher = settings.reloadOnChange() ? StoreWatcher.watch(settings, () -> contexts = build()) : null;
    }

    private Contexts build() {
        return new Contexts(TlsContexts.forServer(settings), dials ? TlsContexts.forClient(settings) : null);
    }

    /** A client port's: loads the key material (a ConfigException naming the file if unusable), watches it. */
    public static TlsEndpoint start(TlsConfig.Settings settings) {
        return new TlsEndpoint(settings, "connection", false);
    }

    /** A quorum port's, which also dials its peers with the same key and trust stores ({@code ssl.quorum.*}). */
    public static TlsEndpoint startForPeers(TlsConfig.Settings settings) {
        return new TlsEndpoint(settings, "peer connection", true);
    }

    /** TLS only: {@code onSecured} runs with the client's x509 ids once the handshake succeeded. */
    public void secure(Channel channel, Consumer<List<Id>> onSecured) {
        install(channel.pipeline(), channel, null, contexts.server(), onSecured);
    }

    /** TLS or plaintext, told apart by the first byte ({@code client.portUnification}, {@code portUnification}). */
    public void detect(Channel channel, Consumer<List<Id>> onReady) {
        channel.pipeline().addFirst("corral-tls-detect", new TlsDetector(this, onReady));
    }

    /**
     * The dialing side of a peer link: {@code onSecured} runs once the handshake succeeded, the accepting server's
     * certificate trusted (and naming the address dialed, with {@code hostnameVerification}).
     */
    public void dial(Channel channel, Runnable onSecured) {
        if (!dials) {
            throw new IllegalStateException("a client port's TLS endpoint does not dial");
        }
        install(channel.pipeline(), channel, null, contexts.client(), ids -> onSecured.run());
    }

    void secureAfter(ChannelHandlerContext detector, Consumer<List<Id>> onSecured) {
        install(detector.pipeline(), detector.channel(), detector.name(), contexts.server(), onSecured);
    }

    private void install(ChannelPipeline pipeline, Channel channel, String after, SslContext context,
                         Consumer<List<Id>> onSecured) {
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        SslHandler ssl = context.newHandler(channel.alloc(), remote.getAddress().getHostAddress(), remote.getPort());
        ssl.setHandshakeTimeoutMillis(settings.handshakeTimeoutMs());
        String what = kind + (context.isServer() ? " from " : " to ");
        TlsHandshakeGate gate = new TlsHandshakeGate(what, settings.x509SuperUser(), onSecured);
        if (after == null) {
            pipeline.addFirst(GATE, gate);
            pipeline.addFirst(SSL_HANDLER, ssl);
        } else {
            pipeline.addAfter(after, SSL_HANDLER, ssl);
            pipeline.addAfter(SSL_HANDLER, GATE, gate);
        }
    }

    long handshakeTimeoutMs() {
        return settings.handshakeTimeoutMs();
    }

    String handshakeTimeoutKey() {
        return settings.prefix() + "handshakeDetection.timeoutMillis";
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
    }
}
