package io.corral.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.corral.server.compat.ZkClients;
import io.corral.server.config.ConfigException;
import io.corral.server.tls.TestPki;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Quorum TLS ({@code sslQuorum}, {@code portUnification}, {@code ssl.quorum.*}) on three Corral servers in this JVM,
 * used through the official ZooKeeper client; certificates from {@link TestPki}, made at test time.
 */
class QuorumTlsTest {
    private static final Duration SERVING = Duration.ofSeconds(30);
    private static final TestPki PKI = TestPki.get();
    /** The handshake's verdict, logged by the TLS gate (package io.corral.server.tls). */
    private static final String GATE_LOGGER = "io.corral.server.tls.TlsHandshakeGate";

    @TempDir
    Path dir;
    private InProcessEnsemble ensemble;
    private final List<ZooKeeper> clients = new ArrayList<>();
    private final Logger gateLog = (Logger) LoggerFactory.getLogger(GATE_LOGGER);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        logged.start();
        gateLog.addAppender(logged);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        gateLog.detachAppender(logged);
        for (ZooKeeper zk : clients) {
            zk.close(1000);
        }
        if (ensemble != null) {
            ensemble.close();
        }
    }

    /** {@code sslQuorum=true} with the test CA's PKCS12 stores; servers may override. */
    private static Map<String, String> quorumTls(String... more) {
        Map<String, String> keys = new HashMap<>(stores(PKI.serverKeyStore(), PKI.trustStore()));
        keys.put("sslQuorum", "true");
        for (int i = 0; i < more.length; i += 2) {
            keys.put(more[i], more[i + 1]);
        }
        return keys;
    }

    private static Map<String, String> stores(Path keyStore, Path trustStore) {
        return TestPki.storeKeys("ssl.quorum.", keyStore, trustStore);
    }

    private ZooKeeper client(String connectString) {
        ZooKeeper zk = ZkClients.connect(connectString);
        clients.add(zk);
        return zk;
    }

    /** Waits until one of {@code ids} leads and the others follow it. */
    private long awaitServing(long... ids) {
        await().atMost(SERVING).pollInterval(Duration.ofMillis(50)).until(() -> {
            int leaders = 0;
            for (long id : ids) {
                String mode = ensemble.mode(id);
                if (!mode.equals("leader") && !mode.equals("follower")) {
                    return false;
                }
                leaders += mode.equals("leader") ? 1 : 0;
            }
            return leaders == 1;
        });
        return ensemble.leader().orElseThrow();
    }

    @Test
    void anSslQuorumEnsembleElectsReplicatesAndFailsOver() throws Exception {
        ensemble = new InProcessEnsemble(dir, 3, 0, quorumTls());
        // the three store formats ZooKeeper takes: PKCS12 (server 1), JKS (server 2), PEM (server 3)
        ensemble.configure(2, stores(PKI.serverKeyStoreJks(), PKI.trustStoreJks()));
        ensemble.configure(3, stores(PKI.serverPem(), PKI.trustStorePem()));
        ensemble.startAll();
        long leader = ensemble.awaitServing(SERVING);
        assertThat(ensemble.fourLetterWord(leader, "mntr")).contains("zk_synced_followers\t2");

        long follower = ensemble.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
        ZooKeeper viaFollower = client(ensemble.connectString(follower));
        viaFollower.create("/tls", "v0".getBytes(UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (int i = 0; i < 50; i++) {
            viaFollower.create("/tls/n" + i, Integer.toString(i).getBytes(UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
        }
        for (long id : ensemble.ids()) {
            ZooKeeper zk = client(ensemble.connectString(id));
            zk.sync("/tls", (rc, path, ctx) -> { }, null);
            assertThat(zk.getChildren("/tls", false)).hasSize(50);
        }

        ensemble.stop(leader);
        long newLeader = ensemble.awaitServing(SERVING);
        assertThat(newLeader).isNotEqualTo(leader);
        ZooKeeper after = client(ensemble.connectString(newLeader));
        assertThat(after.getChildren("/tls", false)).hasSize(50);
        after.setData("/tls", "v1".getBytes(UTF_8), 0);

        ensemble.start(leader);
        ensemble.awaitServing(SERVING);
        ZooKeeper onRestarted = client(ensemble.connectString(leader));
        onRestarted.sync("/tls", (rc, path, ctx) -> { }, null);
        assertThat(new String(onRestarted.getData("/tls", false, null), UTF_8)).isEqualTo("v1");
        assertThat(onRestarted.getChildren("/tls", false)).hasSize(50);
    }

    @Test
    void theQuorumPortAnswersATlsHandshakeWithTheConfiguredCertificateAndNothingElse() throws Exception {
        Path keyStore = dir.resolve("server1.p12");
        Files.copy(PKI.serverKeyStore(), keyStore);
        ensemble = new InProcessEnsemble(dir, 3, 0, quorumTls("ssl.quorum.keyStore.location", keyStore.toString()));
        ensemble.start(1); // one member is enough: its quorum port listens from start-up
        int port = ensemble.peerPort(1);

        X509Certificate configured = (X509Certificate) TestPki.load(PKI.serverKeyStore()).getCertificate("server");
        assertThat(handshake(PKI.clientContext(PKI.clientKeyStore()), port)).isEqualTo(configured);
        // ssl.quorum.clientAuth defaults to need: a peer must show a certificate, and a trusted one
        assertThat(refused(PKI.clientContext(null), port)).isTrue();
        assertThat(refused(PKI.clientContext(PKI.rogueClientKeyStore()), port)).isTrue();
        // a plaintext peer's hello on a TLS-only quorum port (sslQuorum without portUnification) is not answered
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            plain.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(plain.getOutputStream());
            boolean written;
            try {
                out.writeInt(24);
                out.writeInt(0x43524C50); // Corral's peer hello: magic, version, sender, receiver
                out.writeInt(1);
                out.writeLong(2);
                out.writeLong(1);
                out.flush();
                written = true;
            } catch (SocketException closedAlready) {
                written = false; // the port closed it on its first bytes, before the rest was written
            }
            assertThat(!written || readsNothingAndCloses(plain.getInputStream())).isTrue();
        }

        // rotation: new peer connections get the new certificate, without a restart
        Path staged = dir.resolve("staged.p12");
        Files.copy(PKI.rotatedServerKeyStore(), staged);
        Files.move(staged, keyStore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                handshake(PKI.clientContext(PKI.clientKeyStore()), port).getSubjectX500Principal().getName()
                        .startsWith("CN=rotated"));
    }

    /** The certificate the quorum port presents to a peer that completes a handshake and is answered. */
    private static X509Certificate handshake(SSLContext context, int port) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            Certificate[] chain = socket.getSession().getPeerCertificates();
            return (X509Certificate) chain[0];
        }
    }

    /** Whether the quorum port ends the connection during (or, with TLS 1.3, right after) the handshake. */
    private static boolean refused(SSLContext context, int port) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            // TLS 1.3: the server judges the client's certificate after the client's side of the handshake ended
            socket.getOutputStream().write(new byte[4]);
            socket.getOutputStream().flush();
            return socket.getInputStream().read() < 0;
        } catch (IOException expected) {
            return true;
        }
    }

    private static boolean readsNothingAndCloses(InputStream in) {
        try {
            return in.read() < 0;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void aPeerWithAnUntrustedCertificateCannotJoinAndTheLogSaysWhy() throws Exception {
        ensemble = new InProcessEnsemble(dir, 3, 0, quorumTls());
        // server 3's certificate comes from a CA the others do not trust
        ensemble.configure(3, Map.of("ssl.quorum.keyStore.location", PKI.rogueClientKeyStore().toString()));
        ensemble.startAll();
        long leader = awaitServing(1, 2);
        assertThat(ensemble.fourLetterWord(leader, "mntr")).contains("zk_synced_followers\t1");
        await().atMost(SERVING).pollInterval(Duration.ofMillis(100)).until(() -> logged.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .anyMatch(line -> line.contains("peer connection") && line.contains("/127.0.0.1:")
                        && line.contains("TLS handshake failed")
                        && line.contains("no certificate issued by a CA in this server's trust store")));
        assertThat(ensemble.mode(3)).isEqualTo("not serving");

        ZooKeeper zk = client(ensemble.connectString(leader));
        zk.create("/without-3", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(ensemble.mode(3)).isEqualTo("not serving");
    }

    @Test
    void unusableQuorumKeyMaterialStopsStartUpNamingTheKeyAndTheFile() {
        Path missing = dir.resolve("nowhere.p12");
        ensemble = new InProcessEnsemble(dir, 3, 0, quorumTls("ssl.quorum.keyStore.location", missing.toString()));
        assertThatThrownBy(() -> ensemble.start(1)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("ssl.quorum.keyStore.location"));
        assertThat(ensemble.isRunning(1)).isFalse();
    }

    @Test
    void aMixedEnsembleOfUnifiedPortsWorksDuringARollingSwitch() throws Exception {
        // ZooKeeper's procedure, mid-way: portUnification everywhere, sslQuorum on for servers 1 and 3 only
        ensemble = new InProcessEnsemble(dir, 3, 0, quorumTls("portUnification", "true"));
        ensemble.configure(2, Map.of("sslQuorum", "false"));
        ensemble.startAll();
        long leader = ensemble.awaitServing(SERVING);
        ZooKeeper zk = client(ensemble.connectString(leader));
        zk.create("/mixed", "all".getBytes(UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        // 1 and 2 alone: server 2 dials server 1 in plaintext, server 1 takes it on its unified port
        ensemble.stop(3);
        awaitServing(1, 2);
        ZooKeeper onTwo = client(ensemble.connectString(2));
        onTwo.create("/mixed/plaintext-link", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        // 2 and 3 alone: server 3 dials server 2 with TLS, server 2 takes it on its unified port
        ensemble.start(3);
        ensemble.awaitServing(SERVING);
        ensemble.stop(1);
        awaitServing(2, 3);
        ZooKeeper onThree = client(ensemble.connectString(3));
        onThree.create("/mixed/tls-link", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        onThree.sync("/mixed", (rc, path, ctx) -> { }, null);
        assertThat(onThree.getChildren("/mixed", false)).containsExactlyInAnyOrder("plaintext-link", "tls-link");
        assertThat(new String(onThree.getData("/mixed", false, null), UTF_8)).isEqualTo("all");
    }
}
