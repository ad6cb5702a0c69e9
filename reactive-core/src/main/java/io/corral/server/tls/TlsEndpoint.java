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
 * A listening port's TLS: the current server context (rebuilt by a {@link StoreWatcher} when the key or trust store
 * file changes, so new connections get the new material while established ones carry on) and the handlers that
 * put a connection behind TLS before the client protocol sees it.
 */
public final class TlsEndpoint implements AutoCloseable {
    static final String SSL_HANDLER = "corral-tls";
    static final String GATE = "corral-tls-gate";

    private final TlsConfig.Settings settings;
    private final StoreWatcher watcher;
    private volatile SslContext context;

    private TlsEndpoint(TlsConfig.Settings settings) {
        this.settings = settings;
        this.context = ServerTlsContext.build(settings); // bad material stops start-up here, naming the file
        this.watcher = settings.reloadOnChange() ? StoreWatcher.watch(settings, fresh -> context = fresh) : null;
    }

    /** Loads the key material (a ConfigException naming the file if it is unusable) and starts watching it. */
    public static TlsEndpoint start(TlsConfig.Settings settings) {
        return new TlsEndpoint(settings);
    }

    /** TLS only: {@code onSecured} runs with the client's x509 ids once the handshake succeeded. */
    public void secure(Channel channel, Consumer<List<Id>> onSecured) {
        install(channel.pipeline(), channel, null, onSecured);
    }

    /** TLS or plaintext, told apart by the first byte ({@code client.portUnification}). */
    public void detect(Channel channel, Consumer<List<Id>> onReady) {
        channel.pipeline().addFirst("corral-tls-detect", new TlsDetector(this, onReady));
    }

    void secureAfter(ChannelHandlerContext detector, Consumer<List<Id>> onSecured) {
        install(detector.pipeline(), detector.channel(), detector.name(), onSecured);
    }

    private void install(ChannelPipeline pipeline, Channel channel, String after, Consumer<List<Id>> onSecured) {
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        SslHandler ssl = context.newHandler(channel.alloc(), remote.getAddress().getHostAddress(), remote.getPort());
        ssl.setHandshakeTimeoutMillis(settings.handshakeTimeoutMs());
        TlsHandshakeGate gate = new TlsHandshakeGate(settings.x509SuperUser(), onSecured);
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

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
    }
}
