package io.corral.server.peer;

import io.corral.server.config.QuorumTlsConfig;
import io.corral.server.tls.TlsEndpoint;
import io.netty.channel.Channel;

/**
 * How the quorum port's connections are secured, with ZooKeeper's switches: {@code sslQuorum} dials peers over TLS
 * (both sides present a certificate the other's trust store must accept) and, without {@code portUnification},
 * accepts only TLS; {@code portUnification} accepts TLS and plaintext, for a rolling switch from one to the other.
 * With neither, links are plaintext.
 */
public final class PeerTls implements AutoCloseable {
    static final PeerTls PLAINTEXT = new PeerTls(null, false, false);

    /** The key material, or null when the quorum port has no TLS at all. */
    private final TlsEndpoint endpoint;
    private final boolean dialSecure;
    private final boolean acceptPlaintext;

    private PeerTls(TlsEndpoint endpoint, boolean dialSecure, boolean acceptPlaintext) {
        this.endpoint = endpoint;
        this.dialSecure = dialSecure;
        this.acceptPlaintext = acceptPlaintext;
    }

    /** Loads the {@code ssl.quorum.*} material when a switch is on (a ConfigException naming a bad file). */
    public static PeerTls start(QuorumTlsConfig config) {
        if (config.settings() == null) {
            return PLAINTEXT;
        }
        return new PeerTls(TlsEndpoint.startForPeers(config.settings()), config.sslQuorum(),
                config.portUnification());
    }

    /** Secures (or, unified, tells apart) a connection a peer made; {@code onReady} installs the peer protocol. */
    void accepted(Channel channel, Runnable onReady) {
        if (endpoint == null) {
            onReady.run();
        } else if (acceptPlaintext) {
            endpoint.detect(channel, ids -> onReady.run());
        } else {
            endpoint.secure(channel, ids -> onReady.run());
        }
    }

    /** Secures a connection this server dialed when {@code sslQuorum} is on; then {@code onReady}. */
    void dialed(Channel channel, Runnable onReady) {
        if (dialSecure) {
            endpoint.dial(channel, onReady);
        } else {
            onReady.run();
        }
    }

    /** For the "listening for peers" line. */
    @Override
    public String toString() {
        if (endpoint == null) {
            return " (plaintext)";
        }
        return " (accepting " + (acceptPlaintext ? "TLS and plaintext, portUnification" : "TLS only")
                + "; dialing " + (dialSecure ? "with TLS, sslQuorum" : "in plaintext") + ")";
    }

    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
        }
    }
}
