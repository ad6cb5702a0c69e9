package io.corral.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.server.config.ConfigException;
import io.corral.server.config.ServerConfig;
import io.corral.server.config.TlsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key material in each format ZooKeeper accepts loads; bad material stops start-up naming the file. */
class TlsMaterialTest {
    private static final TestPki PKI = TestPki.get();

    @TempDir
    Path temp;

    private static TlsConfig.Settings settings(String... keyValues) {
        Map<String, String> keys = new HashMap<>();
        keys.put("dataDir", "/var/corral");
        keys.put("secureClientPort", "2281");
        keys.put("ssl.keyStore.location", PKI.serverKeyStore().toString());
        keys.put("ssl.keyStore.password", TestPki.PASSWORD);
        keys.put("ssl.trustStore.location", PKI.trustStore().toString());
        keys.put("ssl.trustStore.password", TestPki.PASSWORD);
        for (int i = 0; i < keyValues.length; i += 2) {
            keys.put(keyValues[i], keyValues[i + 1]);
        }
        return ServerConfig.parse(keys).tls().client();
    }

    @Test
    void pkcs12JksAndPemStoresLoad() {
        assertThat(TlsContexts.forServer(settings()).isServer()).isTrue();
        assertThat(TlsContexts.forServer(settings("ssl.keyStore.location", PKI.serverKeyStoreJks().toString(),
                "ssl.trustStore.location", PKI.trustStoreJks().toString())).isServer()).isTrue();
        assertThat(TlsContexts.forServer(settings("ssl.keyStore.location", PKI.serverPem().toString(),
                "ssl.keyStore.password", "", "ssl.trustStore.location", PKI.trustStorePem().toString(),
                "ssl.trustStore.password", "")).isServer()).isTrue();
    }

    @Test
    void theTypeComesFromTheExtensionOrTheTypeKey() throws Exception {
        assertThat(settings().keyStore().type()).isEqualTo("PKCS12");
        assertThat(settings("ssl.keyStore.location", PKI.serverKeyStoreJks().toString()).keyStore().type())
                .isEqualTo("JKS");
        assertThat(settings("ssl.keyStore.location", PKI.serverPem().toString()).keyStore().type())
                .isEqualTo("PEM");
        Path odd = Files.copy(PKI.serverKeyStore(), temp.resolve("server.keys"));
        assertThatThrownBy(() -> settings("ssl.keyStore.location", odd.toString()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ssl.keyStore.type");
        assertThat(TlsContexts.forServer(settings("ssl.keyStore.location", odd.toString(),
                "ssl.keyStore.type", "pkcs12")).isServer()).isTrue();
    }

    @Test
    void aPasswordMayComeFromAFile() throws Exception {
        Path file = Files.writeString(temp.resolve("pw"), TestPki.PASSWORD + "\n");
        TlsConfig.Settings s = settings("ssl.keyStore.password", null == null ? "" : "",
                "ssl.keyStore.passwordPath", file.toString());
        // an empty password key counts as given: ZooKeeper reads passwordPath only without a password
        assertThat(new String(s.keyStore().password())).isEmpty();
        Map<String, String> keys = new HashMap<>(Map.of("dataDir", "/var/corral", "secureClientPort", "2281",
                "ssl.keyStore.location", PKI.serverKeyStore().toString(),
                "ssl.keyStore.passwordPath", file.toString()));
        TlsConfig.Settings fromFile = ServerConfig.parse(keys).tls().client();
        assertThat(new String(fromFile.keyStore().password())).isEqualTo(TestPki.PASSWORD);
        assertThat(TlsContexts.forServer(fromFile).isServer()).isTrue();
    }

    @Test
    void aMissingFileStopsStartUpNamingIt() {
        Path missing = temp.resolve("nowhere.p12");
        assertThatThrownBy(() -> TlsEndpoint.start(settings("ssl.keyStore.location", missing.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> TlsEndpoint.start(settings("ssl.trustStore.location", missing.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("ssl.trustStore.location");
    }

    @Test
    void aWrongPasswordStopsStartUpNamingTheFile() {
        assertThatThrownBy(() -> TlsEndpoint.start(settings("ssl.keyStore.password", "wrong")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(PKI.serverKeyStore().toString()).hasMessageContaining("password");
        assertThatThrownBy(() -> TlsEndpoint.start(settings("ssl.keyStore.location",
                PKI.serverKeyStoreJks().toString(), "ssl.keyStore.password", "wrong")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(PKI.serverKeyStoreJks().toString()).hasMessageContaining("password");
    }

    @Test
    void anExpiredCertificateStopsStartUpNamingTheFile() {
        assertThatThrownBy(() -> TlsEndpoint.start(settings("ssl.keyStore.location",
                PKI.expiredServerKeyStore().toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(PKI.expiredServerKeyStore().toString()).hasMessageContaining("expired on");
    }

    @Test
    void aFileThatIsNoStoreStopsStartUpNamingIt() throws Exception {
        Path garbage = Files.writeString(temp.resolve("garbage.p12"), "not a key store");
        assertThatThrownBy(() -> TlsEndpoint.start(settings("ssl.keyStore.location", garbage.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining(garbage.toString());
        Path noKey = Files.copy(PKI.trustStorePem(), temp.resolve("certs-only.pem"));
        assertThatThrownBy(() -> TlsEndpoint.start(settings("ssl.keyStore.location", noKey.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining(noKey.toString())
                .hasMessageContaining("no private key");
    }
}
