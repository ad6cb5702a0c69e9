package io.corral.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsConfigTest {

    private static ServerConfig parse(String... keyValues) {
        return ConfigMaps.parse(keyValues);
    }

    private static final String[] STORES = {"ssl.keyStore.location", "/etc/zk/server.p12",
            "ssl.keyStore.password", "pw", "ssl.trustStore.location", "/etc/zk/trust.jks"};

    private static String[] with(String... more) {
        return ConfigMaps.with(STORES, more);
    }

    @Test
    void withoutTlsKeysThereIsOnlyThePlaintextPort() {
        TlsConfig tls = parse().tls();
        assertThat(tls.secureClientAddress()).isNull();
        assertThat(tls.plaintextClientPort()).isTrue();
        assertThat(tls.client()).isNull();
    }

    @Test
    void defaultsFollowZooKeeper() {
        TlsConfig tls = parse(with("secureClientPort", "2281", "clientPort", "2181")).tls();
        assertThat(tls.secureClientAddress().getPort()).isEqualTo(2281);
        assertThat(tls.secureClientAddress().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(tls.plaintextClientPort()).isTrue();
        TlsConfig.Settings s = tls.client();
        assertThat(s.clientAuth()).isEqualTo(TlsConfig.ClientAuth.NEED);
        assertThat(s.protocol()).isEqualTo("TLSv1.3");
        assertThat(s.enabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(s.cipherSuites()).isNull();
        assertThat(s.hostnameVerification()).isTrue();
        assertThat(s.handshakeTimeoutMs()).isEqualTo(5000);
        assertThat(s.provider()).isEqualTo(TlsConfig.Provider.JDK);
        assertThat(s.reloadOnChange()).isTrue();
        assertThat(s.keyStore().location()).isEqualTo(Path.of("/etc/zk/server.p12"));
        assertThat(s.keyStore().type()).isEqualTo("PKCS12");
        assertThat(s.trustStore().type()).isEqualTo("JKS");
        assertThat(s.trustStore().password()).isEmpty();
    }

    @Test
    void everyKeyIsRead() {
        TlsConfig.Settings s = parse(with("secureClientPort", "2281", "secureClientPortAddress", "127.0.0.1",
                "ssl.clientAuth", "want", "ssl.protocol", "TLSv1.2", "ssl.ciphersuites",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "ssl.hostnameVerification", "false", "ssl.handshakeDetection.timeoutMillis", "700",
                "ssl.sslProvider", "openssl", "zookeeper.X509AuthenticationProvider.superUser", "CN=admin",
                "serverCnxnFactory", "org.apache.zookeeper.server.NettyServerCnxnFactory",
                "authProvider.x509", "org.apache.zookeeper.server.auth.X509AuthenticationProvider",
                "ssl.authProvider", "x509", "client.certReload", "false")).tls().client();
        assertThat(s.reloadOnChange()).isFalse();
        assertThat(s.clientAuth()).isEqualTo(TlsConfig.ClientAuth.WANT);
        assertThat(s.enabledProtocols()).containsExactly("TLSv1.2");
        assertThat(s.cipherSuites()).containsExactly("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(s.hostnameVerification()).isFalse();
        assertThat(s.handshakeTimeoutMs()).isEqualTo(700);
        assertThat(s.provider()).isEqualTo(TlsConfig.Provider.OPENSSL);
        assertThat(s.x509SuperUser()).isEqualTo("CN=admin");
    }

    @Test
    void sslKeysWithoutATlsPortAreWarnedAboutNotRefused() {
        List<ch.qos.logback.classic.spi.ILoggingEvent> lines = ConfigMaps.logged(TlsConfig.class,
                () -> assertThat(parse(STORES).tls().client()).isNull());
        assertThat(lines).hasSize(3).allMatch(e -> e.getFormattedMessage().contains("no client port uses TLS"));
    }

    @Test
    void secureClientPortAloneMeansNoPlaintextPort() {
        TlsConfig tls = parse(with("secureClientPort", "2281")).tls();
        assertThat(tls.plaintextClientPort()).isFalse();
    }

    @Test
    void portUnificationUsesTheClientPort() {
        TlsConfig tls = parse(with("client.portUnification", "true")).tls();
        assertThat(tls.portUnification()).isTrue();
        assertThat(tls.secureClientAddress()).isNull();
        assertThat(tls.client()).isNotNull();
        assertThat(parse(with("zookeeper.client.portUnification", "true")).tls().portUnification()).isTrue();
    }

    @Test
    void systemPropertySpellingsAreAccepted() {
        TlsConfig.Settings s = parse("secureClientPort", "2281", "zookeeper.ssl.keyStore.location", "/k.pem",
                "zookeeper.ssl.clientAuth", "none").tls().client();
        assertThat(s.keyStore().type()).isEqualTo("PEM");
        assertThat(s.clientAuth()).isEqualTo(TlsConfig.ClientAuth.NONE);
        assertThat(s.trustStore()).isNull();
    }

    @Test
    void invalidValuesStopStartUpNamingTheKey() {
        List<String[]> cases = List.of(
                new String[] {"secureClientPort", "2281", "ssl.keyStore.password", "x"},
                with("secureClientPort", "2281", "ssl.clientAuth", "sometimes"),
                with("secureClientPort", "2281", "ssl.sslProvider", "bouncy"),
                with("secureClientPort", "2281", "ssl.keyStore.type", "BCFKS"),
                with("secureClientPort", "99999"),
                with("secureClientPortAddress", "127.0.0.1"),
                with("secureClientPort", "2281", "client.portUnification", "true"),
                with("serverCnxnFactory", "com.example.Factory"),
                with("secureClientPort", "2281", "ssl.authProvider", "ldap"),
                with("authProvider.1", "org.apache.zookeeper.server.auth.SASLAuthenticationProvider"));
        List<String> keys = List.of("ssl.keyStore.location", "ssl.clientAuth", "ssl.sslProvider", "ssl.keyStore.type",
                "secureClientPort", "secureClientPortAddress", "client.portUnification", "serverCnxnFactory",
                "ssl.authProvider", "authProvider.1");
        for (int i = 0; i < cases.size(); i++) {
            String key = keys.get(i);
            String[] c = cases.get(i);
            assertThatThrownBy(() -> parse(c)).as(key).isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
        }
    }
}
