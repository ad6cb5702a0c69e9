package io.corral.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.corral.server.tls.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code admin.portUnification} on Corral and on Apache ZooKeeper 3.9.5 alike: one port answers HTTPS and plain
 * HTTP; without {@code admin.needClientAuth} no certificate is asked for, so {@code Authorization: x509} finds no
 * identity (401) over either.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminServerPortUnificationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestPki PKI = TestPki.get();

    private CorralBesideZooKeeper servers;

    @BeforeAll
    void start() throws Exception {
        Map<String, String> keys = new HashMap<>(TestPki.storeKeys("ssl.quorum.", PKI.serverKeyStore(),
                PKI.trustStore()));
        keys.put("admin.portUnification", "true");
        keys.put("admin.rateLimiterIntervalInMS", "0");
        servers = CorralBesideZooKeeper.withAdminServers(keys);
    }

    @AfterAll
    void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"corral", "zookeeper"})
    void httpsAndHttpOnOnePort(String which) throws Exception {
        int port = which.equals("corral") ? servers.corral.adminAddress().getPort() : servers.zookeeperHttpPort;
        HttpClient https = HttpClient.newBuilder().sslContext(PKI.clientContext(null)).build();
        HttpClient http = HttpClient.newHttpClient();
        for (var scheme : Map.of("https", https, "http", http).entrySet()) {
            HttpResponse<String> ruok = scheme.getValue().send(request(scheme.getKey() + "://127.0.0.1:" + port
                    + "/commands/ruok", null), HttpResponse.BodyHandlers.ofString());
            assertThat(ruok.statusCode()).as("%s over %s", which, scheme.getKey()).isEqualTo(200);
            assertThat(JSON.readTree(ruok.body()).get("command").asText()).isEqualTo("ruok");

            HttpResponse<String> x509 = scheme.getValue().send(request(scheme.getKey() + "://127.0.0.1:" + port
                    + "/commands/snapshot?streaming=true", "x509"), HttpResponse.BodyHandlers.ofString());
            assertThat(x509.statusCode()).as("%s over %s: no certificate", which, scheme.getKey()).isEqualTo(401);
            assertThat(JSON.readTree(x509.body()).get("error").asText()).isEqualTo("Not authenticated");
        }
    }

    private static HttpRequest request(String url, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }
}
