package io.corral.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.server.config.ServerConfig;
import io.corral.server.config.TlsConfig;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole client contract (the official client's Netty TLS socket, Curator, Corral's reactive client) against a
 * Corral server with {@code ssl.sslProvider=OPENSSL}: netty-tcnative's BoringSSL, which the build ships for Linux
 * x86_64, where these tests run.
 */
class TlsClientOnCorralOpenSslTest extends TlsClientOnCorralTest {

    @Override
    int startSecureServer(Map<String, String> tlsKeys, Path dir) {
        Map<String, String> keys = new HashMap<>(tlsKeys);
        keys.put("ssl.sslProvider", "OPENSSL");
        return super.startSecureServer(keys, dir);
    }

    @Test
    void openSslLoadsAndServesThePort() {
        assertThat(OpenSsl.isAvailable()).as("netty-tcnative: %s", OpenSsl.unavailabilityCause()).isTrue();
        Map<String, String> keys = new HashMap<>(tlsKeys("need"));
        keys.put("ssl.sslProvider", "OPENSSL");
        keys.put("secureClientPort", "0");
        keys.put("dataDir", temp.resolve("unused").toString());
        TlsConfig.Settings settings = ServerConfig.parse(keys).tls().client();

        SslContext openSsl = TlsContexts.forServer(settings);
        keys.put("ssl.sslProvider", "JDK");
        SslContext jdk = TlsContexts.forServer(ServerConfig.parse(keys).tls().client());
        try {
            assertThat(openSsl).isInstanceOf(ReferenceCountedOpenSslContext.class);
            assertThat(jdk).isInstanceOf(JdkSslContext.class);
        } finally {
            ReferenceCountUtil.release(openSsl);
        }
    }
}
