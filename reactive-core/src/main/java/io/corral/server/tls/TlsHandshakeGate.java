package io.corral.server.tls;

import io.corral.protocol.Id;
import io.corral.server.net.RateLimitedWarnings;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits behind the {@link SslHandler} until the handshake is over: then hands the client's x509 ids to
 * {@code onSecured} (which installs the client protocol's handlers) and steps aside; a failed handshake (garbage,
 * a plaintext client, an untrusted certificate, a timeout) closes the connection with one rate-limited log line.
 * Nothing of the client protocol sees a connection before its handshake succeeded.
 */
final class TlsHandshakeGate extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeGate.class);
    static final RateLimitedWarnings WARNINGS = new RateLimitedWarnings();

    /** The connection's kind and direction for the log line: "connection from ", "peer connection to "... */
    private final String what;
    private final String superUser;
    private final Consumer<List<Id>> onSecured;

    TlsHandshakeGate(String what, String superUser, Consumer<List<Id>> onSecured) {
        this.what = what;
        this.superUser = superUser;
        this.onSecured = onSecured;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Reactor Netty reads on demand; the handshake needs the socket read
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!(event instanceof SslHandshakeCompletionEvent done)) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        if (done.isSuccess()) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            List<Id> ids = X509Identity.of(ssl.engine().getSession(), superUser);
            ctx.pipeline().remove(this);
            onSecured.accept(ids);
        } else {
            WARNINGS.warn(log, "tls-handshake " + what, "Closing " + what + ctx.channel().remoteAddress()
                    + ": TLS handshake failed (" + reason(done.cause()) + ")");
            ctx.close();
        }
    }

    private static String reason(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = root == cause ? cause.toString() : cause + "; " + root.getMessage();
        // the JDK's words when the other side has no certificate whose issuer this side's trust store names
        return reason.contains("Empty client certificate chain")
                ? reason + ": it presented no certificate issued by a CA in this server's trust store" : reason;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // the handshake's failure is logged once, from its completion event
        log.debug("TLS {}{} failed: {}", what, ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
