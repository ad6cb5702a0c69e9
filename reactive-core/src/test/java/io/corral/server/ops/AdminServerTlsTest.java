package io.corral.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.corral.server.tls.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The AdminServer over HTTPS as ZooKeeper 3.9's Jetty one serves it, the same zoo.cfg keys given to Corral and to
 * Apache ZooKeeper 3.9.5 (in a child JVM): {@code admin.forceHttps} with the {@code ssl.quorum.*} stores and
 * {@code admin.needClientAuth}; a JDK HttpClient presenting a client certificate gets the commands, one without a
 * certificate or speaking plain HTTP gets none, and the snapshot command accepts {@code Authorization: x509} from
 * the certificate: allowed while the root is open, refused once the root's ACL names someone else, allowed again
 * to the {@code X509AuthenticationProvider.superUser}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminServerTlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestPki PKI = TestPki.get();

    private CorralBesideZooKeeper servers;

    @BeforeAll
    void start() throws Exception {
        Map<String, String> tls = new HashMap<>();
        tls.putAll(TestPki.storeKeys("ssl.quorum.", PKI.serverKeyStore(), PKI.trustStore()));
        tls.putAll(TestPki.storeKeys("ssl.", PKI.serverKeyStore(), PKI.trustStore())); // ZooKeeper's x509 provider's
        tls.put("admin.forceHttps", "true");
        tls.put("admin.needClientAuth", "true");
        tls.put("admin.rateLimiterIntervalInMS", "0");
        tls.put("authProvider.x509", "org.apache.zookeeper.server.auth.X509AuthenticationProvider");
        tls.put("X509AuthenticationProvider.superUser", TestPki.SUPER_DN);
        servers = CorralBesideZooKeeper.withAdminServers(tls);
    }

    @AfterAll
    void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"corral", "zookeeper"})
    void httpsWithAClientCertificateAndX509Authorization(String which) throws Exception {
        boolean corral = which.equals("corral");
        int port = corral ? servers.corral.adminAddress().getPort() : servers.zookeeperHttpPort;
        String https = "https://127.0.0.1:" + port + "/commands/";
        HttpClient client = https(PKI.clientKeyStore());

        HttpResponse<String> ruok = client.send(get(https + "ruok"), HttpResponse.BodyHandlers.ofString());
        assertThat(ruok.statusCode()).as(which).isEqualTo(200);
        assertThat(JSON.readTree(ruok.body()).get("command").asText()).as(which).isEqualTo("ruok");

        assertThatThrownBy(() -> https(null).send(get(https + "ruok"), HttpResponse.BodyHandlers.ofString()))
                .as("%s: no client certificate, no handshake", which).isInstanceOf(IOException.class);
        assertThat(plainHttpAnswers("http://127.0.0.1:" + port + "/commands/ruok")).as(which).isFalse();

        // one kept-alive connection for the client's requests (see AdminServerKeepAliveTest)
        assertThat(snapshot(client, https, "x509")).as("%s: an open root", which).isEqualTo(200);
        assertThat(snapshot(client, https, null)).as(which).isEqualTo(401);

        ZooKeeper zk = corral ? servers.corralClient : servers.zookeeperClient;
        zk.addAuthInfo("digest", "operator:pw".getBytes(StandardCharsets.UTF_8));
        zk.setACL("/", java.util.Arrays.asList(new ACL(ZooDefs.Perms.ALL, new Id("digest",
                DigestAuthenticationProvider.generateDigest("operator:pw")))), -1);
        try {
            assertThat(snapshot(client, https, "x509")).as("%s: the root is the operator's", which).isEqualTo(403);
            assertThat(snapshot(https(PKI.superKeyStore()), https, "x509")).as("%s: the x509 super user", which)
                    .isEqualTo(200);
        } finally {
            zk.setACL("/", ZooDefs.Ids.OPEN_ACL_UNSAFE, -1);
        }
    }

    /** One snapshot request; its status. */
    private static int snapshot(HttpClient client, String https, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(https + "snapshot?streaming=true"))
                .timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Whether a plain HTTP request to an HTTPS-only port gets the command's answer (it must not). */
    private static boolean plainHttpAnswers(String url) throws InterruptedException {
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(get(url),
                    HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 && answer.body().contains("\"command\"");
        } catch (IOException refused) {
            return false;
        }
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build();
    }

    private static HttpClient https(Path keyStore) {
        return HttpClient.newBuilder().sslContext(PKI.clientContext(keyStore)).connectTimeout(Duration.ofSeconds(10))
                .build();
    }
}
