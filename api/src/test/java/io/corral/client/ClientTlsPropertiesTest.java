package io.corral.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ZooKeeper's client TLS properties: names, defaults, and the ones refused rather than ignored. */
class ClientTlsPropertiesTest {

    @Test
    void withoutZookeeperClientSecureTheClientIsPlaintext() {
        assertThat(ClientTlsProperties.read(Map.of("zookeeper.ssl.trustStore.location", "/x/ca.p12"))).isNull();
        assertThat(ClientTlsProperties.read(Map.of("zookeeper.client.secure", "false"))).isNull();
    }

    @Test
    void zookeepersNamesAndDefaults() {
        ClientTls tls = ClientTlsProperties.read(Map.of("zookeeper.client.secure", "true",
                "zookeeper.ssl.keyStore.location", "/x/client.jks",
                "zookeeper.ssl.keyStore.password", "secret",
                "zookeeper.ssl.trustStore.location", "/x/ca.pem"));
        assertThat(tls.keyStore().location()).isEqualTo(Path.of("/x/client.jks"));
        assertThat(tls.keyStore().type()).isEqualTo("JKS");
        assertThat(new String(tls.keyStore().password())).isEqualTo("secret");
        assertThat(tls.trustStore().type()).isEqualTo("PEM");
        assertThat(tls.protocol()).isEqualTo("TLSv1.3");
        assertThat(tls.enabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.cipherSuites()).isNull();
        assertThat(tls.hostnameVerification()).isTrue();
        assertThat(tls.openSsl()).isFalse();

        ClientTls tuned = ClientTlsProperties.read(Map.of("zookeeper.client.secure", "true",
                "zookeeper.ssl.trustStore.location", "/x/trust", "zookeeper.ssl.trustStore.type", "pkcs12",
                "zookeeper.ssl.protocol", "TLSv1.2", "zookeeper.ssl.ciphersuites", "A, B",
                "zookeeper.ssl.hostnameVerification", "false", "zookeeper.ssl.sslProvider", "OPENSSL"));
        assertThat(tuned.keyStore()).isNull();
        assertThat(tuned.trustStore().type()).isEqualTo("PKCS12");
        assertThat(tuned.enabledProtocols()).containsExactly("TLSv1.2");
        assertThat(tuned.cipherSuites()).isEqualTo(List.of("A", "B"));
        assertThat(tuned.hostnameVerification()).isFalse();
        assertThat(tuned.openSsl()).isTrue();
    }

    @Test
    void trustSettingsCorralsClientDoesNotImplementAreRefusedByName() {
        for (String key : List.of("zookeeper.ssl.crl", "zookeeper.ssl.ocsp", "zookeeper.ssl.allowReverseDnsLookup")) {
            assertThatThrownBy(() -> ClientTlsProperties.read(Map.of("zookeeper.client.secure", "true", key, "true")))
                    .hasMessageContaining(key + "=true is not supported");
            assertThat(ClientTlsProperties.read(Map.of("zookeeper.client.secure", "true", key, "false"))).isNotNull();
        }
        assertThatThrownBy(() -> ClientTlsProperties.read(Map.of("zookeeper.client.secure", "true",
                "zookeeper.ssl.context.supplier.class", "com.example.Supplier")))
                .hasMessageContaining("zookeeper.ssl.context.supplier.class");
        assertThatThrownBy(() -> ClientTlsProperties.read(Map.of("zookeeper.client.secure", "yes")))
                .hasMessageContaining("zookeeper.client.secure=yes");
        assertThatThrownBy(() -> ClientTlsProperties.read(Map.of("zookeeper.client.secure", "true",
                "zookeeper.ssl.trustStore.location", "/x/store.bin")))
                .hasMessageContaining("zookeeper.ssl.trustStore.type");
    }
}
