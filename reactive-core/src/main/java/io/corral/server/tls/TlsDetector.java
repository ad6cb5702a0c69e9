package io.corral.server.tls;

import io.corral.protocol.Id;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port unification ({@code client.portUnification}; {@code portUnification} on the quorum port): the first byte of
 * a connection tells a TLS client (a TLS handshake record, 0x16) from a plaintext one (a frame length's high byte,
 * or a four-letter word's first letter); the first is secured, the second served as is. A connection that sends
 * nothing within {@code ssl.handshakeDetection.timeoutMillis} is closed with a log line.
 */
final class TlsDetector extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(TlsDetector.class);
    private static final int TLS_HANDSHAKE_RECORD = 0x16;

    private final TlsEndpoint endpoint;
    private final Consumer<List<Id>> onReady;
    private ScheduledFuture<?> timeout;

    TlsDetector(TlsEndpoint endpoint, Consumer<List<Id>> onReady) {
        this.endpoint = endpoint;
        this.onReady = onReady;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long ms = endpoint.handshakeTimeoutMs();
        timeout = ctx.executor().schedule(() -> {
            TlsHandshakeGate.WARNINGS.warn(log, "tls-detection", "Closing connection from "
                    + ctx.channel().remoteAddress() + ": sent nothing within " + ms
                    + " ms (" + endpoint.handshakeTimeoutKey() + ")");
            ctx.close();
        }, ms, TimeUnit.MILLISECONDS);
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        timeout.cancel(false);
        if (in.getUnsignedByte(in.readerIndex()) == TLS_HANDSHAKE_RECORD) {
            endpoint.secureAfter(ctx, onReady);
        } else {
            onReady.accept(List.of());
        }
        ctx.pipeline().remove(this); // hands what was read so far to the handlers just installed
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        timeout.cancel(false);
    }
}
