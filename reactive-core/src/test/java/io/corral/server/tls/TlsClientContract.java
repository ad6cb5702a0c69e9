package io.corral.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.client.ClientOptions;
import io.corral.client.ClientTls;
import io.corral.client.ClientTlsProperties;
import io.corral.client.CorralClient;
import io.corral.client.KeeperErrorException;
import io.corral.protocol.Acl;
import io.corral.protocol.CreateMode;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.Id;
import io.corral.protocol.Perms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Collectors;
import javax.net.ssl.SSLHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official ZooKeeper client over TLS (its Netty socket, {@code zookeeper.client.secure=true}) and Curator,
 * against a server configured with ZooKeeper's keys: the same expectations for Corral and for Apache ZooKeeper 3.9.5
 * with its Netty server factory, so both sides are checked against the reference.
 */
abstract class TlsClientContract {
    static final TestPki PKI = TestPki.get();

    @TempDir
    Path temp;

    private AutoCloseable server;

    /** A server whose TLS-only port uses {@code clientAuth}; returns that port. */
    abstract int startSecureServer(Map<String, String> tlsKeys, Path dir) throws Exception;

    abstract AutoCloseable running();

    static Map<String, String> tlsKeys(String clientAuth) {
        Map<String, String> keys = new HashMap<>();
        keys.put("serverCnxnFactory", "org.apache.zookeeper.server.NettyServerCnxnFactory");
        keys.put("authProvider.x509", "org.apache.zookeeper.server.auth.X509AuthenticationProvider");
        keys.put("ssl.keyStore.location", PKI.serverKeyStore().toString());
        keys.put("ssl.keyStore.password", TestPki.PASSWORD);
        keys.put("ssl.trustStore.location", PKI.trustStore().toString());
        keys.put("ssl.trustStore.password", TestPki.PASSWORD);
        keys.put("ssl.clientAuth", clientAuth);
        keys.put("X509AuthenticationProvider.superUser", TestPki.SUPER_DN);
        keys.put("4lw.commands.whitelist", "*");
        return keys;
    }

    @AfterEach
    void stop() throws Exception {
        AutoCloseable s = running();
        if (s != null) {
            s.close();
        }
    }

    private Map<String, String> probe(int port, String... modes) throws IOException {
        Path log = temp.resolve("probe.log");
        List<String> args = new java.util.ArrayList<>(List.of("127.0.0.1:" + port, PKI.dir().toString()));
        args.addAll(List.of(modes));
        String out = ZooKeeperNettyJvm.run(List.of(), ZkTlsProbe.class.getName(), args, log);
        Map<String, String> results = new HashMap<>();
        out.lines().filter(l -> l.startsWith("probe ")).forEach(l -> {
            int eq = l.indexOf('=');
            results.put(l.substring(6, eq), l.substring(eq + 1));
        });
        return results;
    }

    @Test
    void clientsWithTrustedCertificatesGetSessionsAndX509IdentitiesOthersNone() throws Exception {
        int port = startSecureServer(tlsKeys("need"), temp);
        Map<String, String> r = probe(port, "cert", "admin", "curator", "nocert", "rogue", "plain");

        assertThat(r).containsEntry("cert.session", "ok")
                .containsEntry("cert.whoami", "ip:127.0.0.1;x509:" + TestPki.CLIENT_DN)
                .containsEntry("cert.authAcl", "31 x509:" + TestPki.CLIENT_DN)
                .containsEntry("cert.x509Read", "secret");
        assertThat(r).containsEntry("admin.session", "ok")
                .containsEntry("admin.whoami", "ip:127.0.0.1;super:;x509:" + TestPki.SUPER_DN)
                .containsEntry("admin.authAcl", "31 x509:" + TestPki.SUPER_DN)
                .containsEntry("admin.x509Read", "secret");
        assertThat(r).containsEntry("curator.read", "over tls");
        assertThat(r).containsEntry("nocert.session", "none")
                .containsEntry("rogue.session", "none")
                .containsEntry("plain.session", "none");
    }

    @Test
    void whereACertificateIsOnlyWantedAClientWithoutOneHasNoX509Identity() throws Exception {
        int port = startSecureServer(tlsKeys("want"), temp);
        Map<String, String> r = probe(port, "nocert", "cert");

        assertThat(r).containsEntry("nocert.session", "ok")
                .containsEntry("nocert.whoami", "ip:127.0.0.1")
                .containsEntry("nocert.authAcl", "INVALIDACL")
                .containsEntry("nocert.x509Read", "NOAUTH");
        assertThat(r).containsEntry("cert.whoami", "ip:127.0.0.1;x509:" + TestPki.CLIENT_DN);
    }

    @Test
    void fourLetterWordsAreAnsweredOnTheSecurePortAfterTheHandshake() throws Exception {
        int port = startSecureServer(tlsKeys("need"), temp);
        try (RawTlsClient client = RawTlsClient.tls(PKI.clientContext(PKI.clientKeyStore()), port)) {
            assertThat(client.ask("ruok")).isEqualTo("imok");
        }
    }

    // ---- Corral's reactive client over TLS, against the same servers ----

    /** How long a client that must get no session keeps trying. */
    private static final Duration REFUSAL_WAIT = Duration.ofSeconds(3);

    private static ClientTls.Store p12(Path file) {
        return ClientTls.Store.of(file, TestPki.PASSWORD);
    }

    private static ClientTls clientTls(Path keyStore, Path trustStore) {
        return ClientTls.builder().keyStore(keyStore == null ? null : p12(keyStore)).trustStore(p12(trustStore))
                .build();
    }

    /** A session (the first TLS connection of a JVM on a loaded machine may take seconds). */
    private static CorralClient reactiveClient(int port, ClientTls tls) {
        return reactiveClient(port, tls, Duration.ofSeconds(30));
    }

    private static CorralClient reactiveClient(int port, ClientTls tls, Duration connectionTimeout) {
        return CorralClient.connect("127.0.0.1:" + port, ClientOptions.builder().tls(tls)
                .connectionTimeout(connectionTimeout).sessionTimeout(Duration.ofSeconds(10)).build()).block();
    }

    /** The identities, sorted: ZooKeeper lists ip and x509 in the order its threads added them. */
    private static String whoAmI(CorralClient client) {
        return client.whoAmI().block().stream().map(i -> i.authScheme() + ":" + i.user()).sorted()
                .collect(Collectors.joining(";"));
    }

    @Test
    void corralsReactiveClientWithACertificateIsItsX509IdentityWithoutOneOrTrustItHasNoSession() throws Exception {
        int port = startSecureServer(tlsKeys("need"), temp);

        CorralClient client = reactiveClient(port, clientTls(PKI.clientKeyStore(), PKI.trustStore()));
        try {
            assertThat(whoAmI(client)).isEqualTo("ip:127.0.0.1;x509:" + TestPki.CLIENT_DN);
            client.create("/guarded", "secret".getBytes(StandardCharsets.UTF_8),
                    List.of(new Acl(Perms.ALL, new Id("x509", TestPki.CLIENT_DN))), CreateMode.PERSISTENT)
                    .block();
            assertThat(new String(client.getData("/guarded").block().data(), StandardCharsets.UTF_8))
                    .isEqualTo("secret");
        } finally {
            client.close().block();
        }

        // ZooKeeper's property names: a PEM key store (the key and its chain in one file) and a PEM trust store
        Map<String, String> properties = Map.of(ClientTlsProperties.SECURE, "true",
                "zookeeper.ssl.keyStore.location", PKI.serverPem().toString(),
                "zookeeper.ssl.trustStore.location", PKI.trustStorePem().toString());
        CorralClient pem = reactiveClient(port, ClientTlsProperties.read(properties));
        try {
            assertThat(whoAmI(pem)).isEqualTo("ip:127.0.0.1;x509:CN=localhost,OU=tls-test,O=Corral");
            assertThatThrownBy(() -> pem.getData("/guarded").block())
                    .satisfies(e -> assertThat(((KeeperErrorException) e).code()).isEqualTo(ErrorCode.NO_AUTH));
        } finally {
            pem.close().block();
        }

        assertThatThrownBy(() -> reactiveClient(port, clientTls(null, PKI.trustStore()), REFUSAL_WAIT))
                .isInstanceOf(KeeperErrorException.class)
                .satisfies(e -> assertThat(((KeeperErrorException) e).code()).isEqualTo(ErrorCode.CONNECTION_LOSS));
        // a server whose certificate no trusted CA signed is refused by the client itself
        assertThatThrownBy(() -> reactiveClient(port, clientTls(PKI.clientKeyStore(), PKI.rogueClientKeyStore()),
                REFUSAL_WAIT))
                .isInstanceOf(KeeperErrorException.class)
                .hasCauseInstanceOf(SSLHandshakeException.class)
                .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
    }

    @Test
    void corralsReactiveClientWithoutACertificateWhereOneIsOnlyWantedHasNoX509Identity() throws Exception {
        int port = startSecureServer(tlsKeys("want"), temp);
        CorralClient client = reactiveClient(port, clientTls(null, PKI.trustStore()));
        try {
            assertThat(whoAmI(client)).isEqualTo("ip:127.0.0.1");
        } finally {
            client.close().block();
        }
    }

    static Path writeConfig(Path dir, Map<String, String> keys) throws IOException {
        StringBuilder text = new StringBuilder();
        keys.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return Files.writeString(dir.resolve("zoo.cfg"), text.toString());
    }
}
