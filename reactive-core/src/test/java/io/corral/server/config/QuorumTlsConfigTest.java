package io.corral.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code sslQuorum}, {@code portUnification} and {@code ssl.quorum.*}, read as ZooKeeper 3.9 reads them. */
class QuorumTlsConfigTest {
    private static final String[] STORES = {"ssl.quorum.keyStore.location", "/etc/zk/quorum.p12",
            "ssl.quorum.keyStore.password", "pw", "ssl.quorum.trustStore.location", "/etc/zk/quorum-trust.jks"};

    private static ServerConfig parse(String... keyValues) {
        return ConfigMaps.parse(keyValues);
    }

    private static String[] with(String... more) {
        return ConfigMaps.with(STORES, more);
    }

    @Test
    void withoutTheSwitchesPeerLinksArePlaintext() {
        QuorumTlsConfig q = parse().quorumTls();
        assertThat(q.sslQuorum()).isFalse();
        assertThat(q.portUnification()).isFalse();
        assertThat(q.settings()).isNull();
        parse("sslQuorum", "false", "portUnification", "no"); // asks for nothing
    }

    @Test
    void defaultsFollowZooKeeper() {
        QuorumTlsConfig q = parse(with("sslQuorum", "true")).quorumTls();
        assertThat(q.sslQuorum()).isTrue();
        assertThat(q.portUnification()).isFalse();
        TlsConfig.Settings s = q.settings();
        assertThat(s.prefix()).isEqualTo("ssl.quorum.");
        assertThat(s.clientAuth()).isEqualTo(TlsConfig.ClientAuth.NEED);
        assertThat(s.enabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(s.hostnameVerification()).isTrue();
        assertThat(s.clientHostnameVerification()).isTrue();
        assertThat(s.reloadOnChange()).isTrue();
        assertThat(s.x509SuperUser()).isNull();
        assertThat(s.keyStore().location()).isEqualTo(Path.of("/etc/zk/quorum.p12"));
        assertThat(s.keyStore().type()).isEqualTo("PKCS12");
        assertThat(s.trustStore().type()).isEqualTo("JKS");
        // the client port's ssl.* keys are another endpoint's
        assertThat(parse(with("sslQuorum", "true")).tls().client()).isNull();
    }

    @Test
    void everyQuorumKeyIsReadWithItsSystemPropertySpellingToo() {
        QuorumTlsConfig q = parse(with("zookeeper.sslQuorum", "true", "portUnification", "true",
                "ssl.quorum.clientAuth", "want", "ssl.quorum.protocol", "TLSv1.2",
                "zookeeper.ssl.quorum.enabledProtocols", "TLSv1.2",
                "ssl.quorum.ciphersuites", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "ssl.quorum.hostnameVerification", "false", "ssl.quorum.clientHostnameVerification", "false",
                "ssl.quorum.handshakeDetection.timeoutMillis", "900", "ssl.quorum.sslProvider", "JDK",
                "ssl.quorum.keyStore.type", "PEM", "sslQuorumReloadCertFiles", "false")).quorumTls();
        assertThat(q.sslQuorum()).isTrue();
        assertThat(q.portUnification()).isTrue();
        TlsConfig.Settings s = q.settings();
        assertThat(s.clientAuth()).isEqualTo(TlsConfig.ClientAuth.WANT);
        assertThat(s.protocol()).isEqualTo("TLSv1.2");
        assertThat(s.enabledProtocols()).containsExactly("TLSv1.2");
        assertThat(s.cipherSuites()).containsExactly("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(s.hostnameVerification()).isFalse();
        assertThat(s.clientHostnameVerification()).isFalse();
        assertThat(s.handshakeTimeoutMs()).isEqualTo(900);
        assertThat(s.keyStore().type()).isEqualTo("PEM");
        assertThat(s.reloadOnChange()).isFalse();
    }

    @Test
    void portUnificationAloneNeedsTheKeyMaterialToo() {
        QuorumTlsConfig q = parse(with("portUnification", "true")).quorumTls();
        assertThat(q.sslQuorum()).isFalse();
        assertThat(q.settings()).isNotNull();
        assertThatThrownBy(() -> parse("portUnification", "true")).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("ssl.quorum.keyStore.location"))
                .hasMessageContaining("sslQuorum or portUnification");
    }

    @Test
    void invalidValuesStopStartUpNamingTheKey() {
        List<String[]> cases = List.of(
                with("sslQuorum", "maybe"),
                with("sslQuorum", "true", "ssl.quorum.clientAuth", "sometimes"),
                with("sslQuorum", "true", "ssl.quorum.keyStore.type", "BCFKS"));
        List<String> keys = List.of("sslQuorum", "ssl.quorum.clientAuth", "ssl.quorum.keyStore.type");
        for (int i = 0; i < cases.size(); i++) {
            String key = keys.get(i);
            String[] c = cases.get(i);
            assertThatThrownBy(() -> parse(c)).as(key).isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
        }
    }

    @Test
    void quorumTlsKeysCorralDoesNotImplementStillStopStartUp() {
        for (String[] c : List.of(with("sslQuorum", "true", "ssl.quorum.crl", "true"),
                with("sslQuorum", "true", "ssl.quorum.ocsp", "true"),
                with("sslQuorum", "true", "ssl.quorum.allowReverseDnsLookup", "true"),
                with("sslQuorum", "true", "ssl.quorum.context.supplier.class", "com.example.Supplier"),
                with("sslQuorum", "true", "ssl.quorum.authProvider", "x509"))) {
            String key = c[c.length - 2];
            assertThatThrownBy(() -> parse(c)).as(key).isInstanceOf(ConfigException.class)
                    .hasMessageContaining(key).hasMessageContaining("not supported");
        }
        parse(with("sslQuorum", "true", "ssl.quorum.crl", "false")); // off: asks for nothing
    }

    @Test
    void quorumKeysWithoutTheSwitchesAreWarnedAboutNotRefused() {
        List<ILoggingEvent> lines = ConfigMaps.logged(TlsConfig.class,
                () -> assertThat(parse(STORES).quorumTls().settings()).isNull());
        assertThat(lines).hasSize(3).allMatch(e -> e.getFormattedMessage().contains("ssl.quorum.")
                && e.getFormattedMessage().contains("the quorum does not use TLS"));
    }
}
