package io.corral.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.server.config.ServerConfig;
import io.corral.server.config.TlsConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two sides of a peer link's handshake with the {@code ssl.quorum.*} contexts, in memory: both present a
 * certificate, and with {@code ssl.quorum.hostnameVerification} each must name the other side's address.
 */
class QuorumTlsHandshakeTest {
    private static final TestPki PKI = TestPki.get();

    private static TlsConfig.Settings settings(String... keyValues) {
        Map<String, String> keys = new HashMap<>(TestPki.storeKeys("ssl.quorum.", PKI.serverKeyStore(),
                PKI.trustStore()));
        keys.put("dataDir", "/var/corral");
        keys.put("sslQuorum", "true");
        for (int i = 0; i < keyValues.length; i += 2) {
            keys.put(keyValues[i], keyValues[i + 1]);
        }
        return ServerConfig.parse(keys).quorumTls().settings();
    }

    /** The two ends of one link: the dialer believes it dialed {@code dialed}, the acceptor sees {@code from}. */
    private record Link(SslHandler dialer, SslHandler acceptor) {
        static Link handshake(TlsConfig.Settings settings, String dialed, String from) {
            Link link = new Link(TlsContexts.forClient(settings).newHandler(ByteBufAllocator.DEFAULT, dialed, 2888),
                    TlsContexts.forServer(settings).newHandler(ByteBufAllocator.DEFAULT, from, 40000));
            EmbeddedChannel dialing = new EmbeddedChannel(link.dialer);
            EmbeddedChannel accepting = new EmbeddedChannel(link.acceptor);
            for (int round = 0; round < 20 && !(link.dialer.handshakeFuture().isDone()
                    && link.acceptor.handshakeFuture().isDone()); round++) {
                pass(dialing, accepting);
                pass(accepting, dialing);
            }
            dialing.finishAndReleaseAll();
            accepting.finishAndReleaseAll();
            return link;
        }

        private static void pass(EmbeddedChannel from, EmbeddedChannel to) {
            ByteBuf bytes;
            while ((bytes = from.readOutbound()) != null) {
                if (!to.isOpen()) {
                    bytes.release();
                    continue;
                }
                try {
                    to.writeInbound(bytes);
                } catch (Exception failedHandshake) { // EmbeddedChannel rethrows what the pipeline raised
                    // the handshake future has it
                }
            }
        }

        String dialerFailure() {
            return failure(dialer);
        }

        String acceptorFailure() {
            return failure(acceptor);
        }

        private static String failure(SslHandler side) {
            assertThat(side.handshakeFuture().isDone()).isTrue();
            Throwable cause = side.handshakeFuture().cause();
            return cause == null ? null : cause.toString() + (cause.getCause() == null ? "" : " " + cause.getCause());
        }
    }

    @Test
    void bothSidesPresentTheirCertificate() throws Exception {
        Link link = Link.handshake(settings(), "127.0.0.1", "127.0.0.1");
        assertThat(link.dialerFailure()).isNull();
        assertThat(link.acceptorFailure()).isNull();
        X509Certificate dialersCertificate = (X509Certificate) link.acceptor().engine().getSession()
                .getPeerCertificates()[0];
        assertThat(dialersCertificate.getSubjectX500Principal().getName()).startsWith("CN=localhost");
    }

    @Test
    void theDialerRefusesACertificateThatDoesNotNameTheAddressDialed() {
        assertThat(Link.handshake(settings(), "127.0.0.2", "127.0.0.1").dialerFailure()).contains("127.0.0.2");
        Link unverified = Link.handshake(settings("ssl.quorum.hostnameVerification", "false"), "127.0.0.2",
                "127.0.0.1");
        assertThat(unverified.dialerFailure()).isNull();
        assertThat(unverified.acceptorFailure()).isNull();
    }

    @Test
    void theAcceptorRefusesACertificateThatDoesNotNameTheAddressItComesFrom() {
        assertThat(Link.handshake(settings(), "127.0.0.1", "127.0.0.3").acceptorFailure())
                .contains("127.0.0.3").contains("ssl.quorum.hostnameVerification");
        assertThat(Link.handshake(settings("ssl.quorum.clientHostnameVerification", "false"), "127.0.0.1",
                "127.0.0.3").acceptorFailure()).isNull();
    }

    @Test
    void withoutClientAuthTheDialerNeedsNoTrustedCertificate() {
        TlsConfig.Settings acceptor = settings("ssl.quorum.clientAuth", "none");
        Link link = Link.handshake(acceptor, "127.0.0.1", "127.0.0.1");
        assertThat(link.acceptorFailure()).isNull();
        assertThat(link.acceptor().engine().getNeedClientAuth()).isFalse();
        assertThat(link.acceptor().engine().getWantClientAuth()).isFalse();
    }
}
