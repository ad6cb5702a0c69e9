package io.corral.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.corral.server.CorralServer;
import io.corral.server.config.ServerConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The client ports with TLS, driven by a JDK TLS socket: handshakes, refusals, fuzzing, unification, rotation. */
class TlsClientPortTest {
    private static final TestPki PKI = TestPki.get();

    @TempDir
    Path temp;

    private final Logger gateLog = (Logger) LoggerFactory.getLogger(TlsHandshakeGate.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private CorralServer server;

    @BeforeEach
    void captureLog() {
        logged.start();
        gateLog.addAppender(logged);
    }

    @AfterEach
    void stop() {
        gateLog.detachAppender(logged);
        if (server != null) {
            server.close();
        }
    }

    private CorralServer start(String... keyValues) {
        Map<String, String> keys = new HashMap<>();
        keys.put("dataDir", temp.resolve("data").toString());
        keys.put("clientPort", "0");
        keys.put("clientPortAddress", "127.0.0.1");
        keys.put("secureClientPort", "0");
        keys.put("secureClientPortAddress", "127.0.0.1");
        keys.put("4lw.commands.whitelist", "*");
        keys.put("ssl.keyStore.location", PKI.serverKeyStore().toString());
        keys.put("ssl.keyStore.password", TestPki.PASSWORD);
        keys.put("ssl.trustStore.location", PKI.trustStore().toString());
        keys.put("ssl.trustStore.password", TestPki.PASSWORD);
        // long enough for a cold JVM's first handshake on a loaded machine; the truncated hello waits it out
        keys.put("ssl.handshakeDetection.timeoutMillis", "3000");
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                keys.remove(keyValues[i]);
            } else {
                keys.put(keyValues[i], keyValues[i + 1]);
            }
        }
        server = CorralServer.start(ServerConfig.parse(keys));
        return server;
    }

    private int securePort() {
        return server.secureClientAddress().getPort();
    }

    private static SSLContext withCertificate() {
        return PKI.clientContext(PKI.clientKeyStore());
    }

    @Test
    void aSessionAndFourLetterWordsAreServedAfterTheHandshake() throws IOException {
        start();
        try (RawTlsClient client = RawTlsClient.tls(withCertificate(), securePort())) {
            assertThat(client.serverCertificate().getSubjectX500Principal().getName()).startsWith("CN=localhost");
            assertThat(client.connect()).isNotZero();
            assertThat(client.ping()).isTrue();
        }
        try (RawTlsClient client = RawTlsClient.tls(withCertificate(), securePort())) {
            assertThat(client.ask("ruok")).isEqualTo("imok");
        }
        assertThat(server.clientAddress().getPort()).isNotEqualTo(securePort());
    }

    @Test
    void secureClientPortAloneServesNoPlaintextPort() throws IOException {
        start("clientPort", null, "clientPortAddress", null);
        assertThat(server.clientAddress()).isEqualTo(server.secureClientAddress());
        try (RawTlsClient client = RawTlsClient.tls(withCertificate(), securePort())) {
            assertThat(client.ask("ruok")).isEqualTo("imok");
        }
    }

    @Test
    void aClientWithoutCertificateIsRefusedUnlessTheServerOnlyWantsOne() throws IOException {
        start();
        assertRefused(PKI.clientContext(null));
        server.close();
        start("ssl.clientAuth", "want");
        try (RawTlsClient client = RawTlsClient.tls(PKI.clientContext(null), securePort())) {
            assertThat(client.connect()).isNotZero();
        }
    }

    @Test
    void anUntrustedClientCertificateIsRefusedWithALogLine() {
        start();
        // the refusal's line is rate-limited (one a second): another test's refusal may have just used it
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertRefused(PKI.clientContext(PKI.rogueClientKeyStore()));
            return lines().contains("TLS handshake failed");
        });
    }

    /** With TLS 1.3 the server's verdict on the client's certificate arrives after the client's handshake is done. */
    private void assertRefused(SSLContext context) {
        assertThatThrownBy(() -> {
            try (RawTlsClient client = RawTlsClient.tls(context, securePort())) {
                client.connect();
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void garbageATruncatedClientHelloAndPlaintextAreClosedWhileOtherSessionsCarryOn() throws Exception {
        start();
        try (RawTlsClient bystander = RawTlsClient.tls(withCertificate(), securePort());
             RawTlsClient plainBystander = RawTlsClient.plain(server.clientAddress().getPort())) {
            bystander.connect();
            plainBystander.connect();

            try (RawTlsClient garbage = RawTlsClient.plain(securePort())) {
                garbage.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                assertThat(garbage.closedByServer()).isTrue();
            }
            try (RawTlsClient plaintext = RawTlsClient.plain(securePort())) {
                assertThatThrownBy(plaintext::connect).isInstanceOf(IOException.class);
            }
            try (RawTlsClient truncated = RawTlsClient.plain(securePort())) {
                byte[] hello = clientHello();
                truncated.send(java.util.Arrays.copyOf(hello, hello.length / 2));
                assertThat(truncated.closedByServer()).isTrue(); // after ssl.handshakeDetection.timeoutMillis
            }
            assertThat(lines()).contains("TLS handshake failed"); // rate-limited: at least the first one
            assertThat(bystander.ping()).isTrue();
            assertThat(plainBystander.ping()).isTrue();
        }
    }

    private String lines() {
        StringBuilder all = new StringBuilder();
        for (ILoggingEvent e : logged.list) {
            all.append(e.getFormattedMessage()).append('\n');
        }
        return all.toString();
    }

    private static byte[] clientHello() throws SSLException {
        SSLEngine engine = withCertificate().createSSLEngine("127.0.0.1", 0);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    @Test
    void aUnifiedPortServesTlsAndPlaintextClients() throws IOException {
        start("client.portUnification", "true");
        int port = server.clientAddress().getPort();
        try (RawTlsClient tls = RawTlsClient.tls(withCertificate(), port)) {
            assertThat(tls.connect()).isNotZero();
            assertThat(tls.ping()).isTrue();
        }
        try (RawTlsClient plain = RawTlsClient.plain(port)) {
            assertThat(plain.connect()).isNotZero();
        }
        try (RawTlsClient plain = RawTlsClient.plain(port)) {
            assertThat(plain.ask("ruok")).isEqualTo("imok");
        }
    }

    @Test
    void aReplacedKeyStoreServesNewConnectionsWhileOldOnesCarryOn() throws Exception {
        Path keyStore = Files.copy(PKI.serverKeyStore(), temp.resolve("server.p12"));
        start("ssl.keyStore.location", keyStore.toString());
        try (RawTlsClient old = RawTlsClient.tls(withCertificate(), securePort())) {
            old.connect();
            assertThat(old.serverCertificate().getSubjectX500Principal().getName()).startsWith("CN=localhost");

            Path next = Files.copy(PKI.rotatedServerKeyStore(), temp.resolve("next.p12"));
            Files.move(next, keyStore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                try (RawTlsClient fresh = RawTlsClient.tls(withCertificate(), securePort())) {
                    return fresh.serverCertificate().getSubjectX500Principal().getName().startsWith("CN=rotated");
                }
            });
            assertThat(old.ping()).isTrue();
        }
    }
}
