package io.corral.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.server.config.MetricsProviderConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /metrics} with {@code metricsProvider.className} naming ZooKeeper's Prometheus provider, read by
 * Prometheus's own text parser, beside Apache ZooKeeper 3.9.5 with that provider on and the same tree, sessions and
 * watches: the same metric names and types, the same figures, and figures that follow the tree.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusMetricsTest {
    /** The metrics ZooKeeper's dashboards read that a standalone server has (the quorum's need an ensemble). */
    private static final List<String> DASHBOARD_METRICS = List.of("znode_count", "watch_count", "ephemerals_count",
            "approximate_data_size", "num_alive_connections", "outstanding_requests", "global_sessions",
            "packets_received", "packets_sent", "avg_latency", "min_latency", "max_latency", "auth_failed_count",
            "uptime", "open_file_descriptor_count", "max_file_descriptor_count", "readlatency", "updatelatency",
            "fsynctime");
    /** Families of Micrometer's JVM and process meters (exportJvmInfo), named by Micrometer, not by ZooKeeper. */
    private static final List<String> JVM_PREFIXES = List.of("jvm_", "process_", "system_");

    private final HttpClient http = HttpClient.newHttpClient();
    private CorralBesideZooKeeper servers;
    private String zookeeperMetrics;
    private ZooKeeper corralClient;
    private ZooKeeper zookeeperClient;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(PrometheusText.available(),
                "Prometheus's parser is missing (apt-get install python3-prometheus-client)");
        servers = new CorralBesideZooKeeper(Map.of("metricsProvider.className", MetricsProviderConfig.PROMETHEUS,
                "metricsProvider.httpHost", "127.0.0.1", "metricsProvider.httpPort", "0"), port -> Map.of(
                "metricsProvider.className", MetricsProviderConfig.PROMETHEUS,
                "metricsProvider.httpHost", "127.0.0.1", "metricsProvider.httpPort", Integer.toString(port)));
        zookeeperMetrics = "http://127.0.0.1:" + servers.zookeeperHttpPort + "/metrics";
        corralClient = servers.corralClient;
        zookeeperClient = servers.zookeeperClient;
    }

    @AfterAll
    void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void theSameNamesTypesAndFiguresAsZooKeepersPrometheusProvider() throws Exception {
        Map<String, PrometheusText.Family> ours = PrometheusText.parse(scrape(corralMetrics()));
        Map<String, PrometheusText.Family> theirs = PrometheusText.parse(scrape(zookeeperMetrics));
        for (String name : DASHBOARD_METRICS) {
            assertThat(ours).as("Corral has " + name).containsKey(name);
            assertThat(theirs).as("ZooKeeper has " + name).containsKey(name);
            assertThat(ours.get(name).type()).as(name + "'s type").isEqualTo(theirs.get(name).type());
        }
        Set<String> zookeeperNamed = new TreeSet<>(ours.keySet());
        zookeeperNamed.removeIf(name -> name.startsWith("corral_")
                || JVM_PREFIXES.stream().anyMatch(name::startsWith) || name.endsWith("_max"));
        assertThat(theirs.keySet()).as("every other metric of Corral's is one of ZooKeeper's")
                .containsAll(zookeeperNamed);
        for (String name : List.of("znode_count", "watch_count", "ephemerals_count", "approximate_data_size",
                "global_sessions", "num_alive_connections", "outstanding_requests")) {
            assertThat(ours.get(name).value()).as(name).isEqualTo(theirs.get(name).value());
        }
        assertThat(ours.get("readlatency").samples()).containsKeys("readlatency_count", "readlatency_sum",
                "readlatency{quantile=0.5}");
    }

    @Test
    void figuresFollowTheTreeOnBoth() throws Exception {
        int n = 25;
        for (String url : List.of(corralMetrics(), zookeeperMetrics)) {
            ZooKeeper client = url.equals(zookeeperMetrics) ? zookeeperClient : corralClient;
            Map<String, PrometheusText.Family> before = PrometheusText.parse(scrape(url));
            for (int i = 0; i < n; i++) {
                client.create("/follow-" + i, new byte[10], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            client.exists("/follow-0", true);
            Map<String, PrometheusText.Family> after = PrometheusText.parse(scrape(url));
            assertThat(after.get("znode_count").value()).as(url)
                    .isEqualTo(before.get("znode_count").value() + n);
            assertThat(after.get("watch_count").value()).as(url).isEqualTo(before.get("watch_count").value() + 1);
            assertThat(after.get("approximate_data_size").value()).as(url)
                    .isGreaterThanOrEqualTo(before.get("approximate_data_size").value() + n * 10);
            assertThat(after.get("updatelatency").samples().get("updatelatency_count")).as(url)
                    .isEqualTo(before.get("updatelatency").samples().get("updatelatency_count") + n);
        }
        assertThat(PrometheusText.parse(scrape(corralMetrics())).get("corral_request_latency_ms").samples())
                .containsKey("corral_request_latency_ms_count{op=CREA}");
    }

    private String corralMetrics() {
        return "http://127.0.0.1:" + servers.corral.metricsAddress().getPort() + "/metrics";
    }

    private String scrape(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
        return response.body();
    }
}
