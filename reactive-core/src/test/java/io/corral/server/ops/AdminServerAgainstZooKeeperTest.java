package io.corral.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Corral's AdminServer beside Apache ZooKeeper 3.9.5's (Jetty, in a child JVM) holding the same tree, sessions and
 * watches: for every command Corral lists, each field of Corral's JSON is one of ZooKeeper's, of the same JSON type,
 * and the fields that describe that state have the same values.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminServerAgainstZooKeeperTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Per command, the fields (JSON pointers) whose values must agree for the same state. */
    private static final Map<String, List<String>> SAME_VALUES = Map.ofEntries(
            Map.entry("ruok", List.of("/command", "/error")),
            Map.entry("server_stats", List.of("/read_only", "/node_count", "/server_stats/server_state",
                    "/server_stats/outstanding_requests", "/server_stats/num_alive_client_connections",
                    "/server_stats/last_processed_zxid", "/server_stats/provider_null")),
            Map.entry("stats", List.of("/command", "/node_count", "/server_stats/server_state",
                    "/secure_connections")),
            Map.entry("monitor", List.of("/server_state", "/znode_count", "/watch_count", "/ephemerals_count",
                    "/approximate_data_size", "/global_sessions", "/outstanding_requests",
                    "/num_alive_connections")),
            Map.entry("configuration", List.of("/tick_time", "/min_session_timeout", "/max_session_timeout",
                    "/server_id", "/client_port_listen_backlog")),
            Map.entry("connections", List.of("/secure_connections", "/connections/0/session_timeout")),
            Map.entry("watch_summary", List.of("/num_connections", "/num_paths", "/num_total_watches")),
            Map.entry("is_read_only", List.of("/read_only")),
            Map.entry("leader", List.of("/error")),
            Map.entry("environment", List.of("/java.version", "/os.name", "/user.dir")));

    private final HttpClient http = HttpClient.newHttpClient();
    private CorralBesideZooKeeper servers;
    private String corralBase;
    private String zookeeperBase;

    @BeforeAll
    void start() throws Exception {
        servers = CorralBesideZooKeeper.withAdminServers(Map.of());
        corralBase = "http://127.0.0.1:" + servers.corral.adminAddress().getPort() + "/commands";
        zookeeperBase = "http://127.0.0.1:" + servers.zookeeperHttpPort + "/commands";
    }

    @AfterAll
    void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    /** The commands compared field by field; snapshot and restore, which need credentials, are compared below. */
    List<String> corralCommands() throws Exception {
        List<String> names = commandsListed(corralBase);
        AdminCommands.all().stream().filter(AdminCommands.Command::authRequired)
                .forEach(command -> names.remove(command.name()));
        return names;
    }

    @Test
    void everyCommandCorralListsIsOneOfZooKeepers() throws Exception {
        assertThat(corralCommands()).isNotEmpty();
        assertThat(commandsListed(zookeeperBase)).containsAll(commandsListed(corralBase));
    }

    /**
     * The snapshot command as ZooKeeper answers it: 401 without credentials; with them (an open root: any digest
     * login), the stream with its headers; then 429 within the rate limit's interval. Restore answers 401 without
     * credentials and 500 to a body that is no snapshot.
     */
    @Test
    void snapshotAndRestoreAnswerAsZooKeepers() throws Exception {
        for (String base : List.of(corralBase, zookeeperBase)) {
            HttpResponse<String> anonymous = send(HttpRequest.newBuilder(URI.create(base + "/snapshot?streaming=true"))
                    .GET().build());
            assertThat(anonymous.statusCode()).as(base).isEqualTo(401);
            assertThat(JSON.readTree(anonymous.body())).as(base).isEqualTo(JSON.readTree(
                    "{\"command\":\"snapshot\",\"error\":\"Auth info is missing for the command\"}"));

            HttpResponse<byte[]> backup = http.send(HttpRequest.newBuilder(
                            URI.create(base + "/snapshot?streaming=true"))
                    .header("Authorization", "digest operator:pw").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(backup.statusCode()).as(base).isEqualTo(200);
            assertThat(backup.headers().firstValue("content-type")).as(base).hasValue("application/octet-stream");
            assertThat(backup.headers().firstValue("last_zxid").orElseThrow()).as(base).matches("0x[0-9a-f]+");
            assertThat(backup.headers().firstValue("snapshot_size")).as(base)
                    .hasValue(Integer.toString(backup.body().length));

            HttpResponse<String> again = send(HttpRequest.newBuilder(URI.create(base + "/snapshot?streaming=true"))
                    .header("Authorization", "digest operator:pw").GET().build());
            if (base.equals(zookeeperBase) && again.statusCode() == 200) {
                // ZooKeeper 3.9.5 builds the snapshot command's limiter with the interval's milliseconds as
                // MICROSECONDS (Commands.SnapshotCommand): its 5 minutes are 300 ms, and it let a second snapshot
                // through 15 ms after the first once (a whole-suite run), so its limit is not one to assert here
            } else {
                assertThat(again.statusCode()).as(base).isEqualTo(429);
                assertThat(JSON.readTree(again.body()).get("command").asText()).isEqualTo("snapshot");
            }

            HttpResponse<String> restoreAnonymous = send(HttpRequest.newBuilder(URI.create(base + "/restore"))
                    .POST(HttpRequest.BodyPublishers.ofString("not a snapshot")).build());
            assertThat(restoreAnonymous.statusCode()).as(base).isEqualTo(401);
            HttpResponse<String> restoreJunk = send(HttpRequest.newBuilder(URI.create(base + "/restore"))
                    .header("Authorization", "digest operator:pw")
                    .POST(HttpRequest.BodyPublishers.ofString("not a snapshot")).build());
            assertThat(restoreJunk.statusCode()).as(base).isEqualTo(500);
            assertThat(JSON.readTree(restoreJunk.body()).get("command").asText()).isEqualTo("restore");
        }
    }

    @ParameterizedTest
    @MethodSource("corralCommands")
    void fieldByFieldAsZooKeeper(String command) throws Exception {
        JsonNode ours = JSON.readTree(get(corralBase + "/" + command));
        JsonNode theirs = JSON.readTree(get(zookeeperBase + "/" + command));
        assertThat(ours.get("command").asText()).isEqualTo(theirs.get("command").asText());
        assertSameFields(command, "", ours, theirs);
        for (String pointer : SAME_VALUES.getOrDefault(command, List.of())) {
            assertThat(ours.at(pointer)).as(command + pointer).isEqualTo(theirs.at(pointer));
        }
    }

    @Test
    void sessionsEphemeralsAndWatchesAsZooKeeperReportsThem() throws Exception {
        // keyed by session ids, which differ between the two servers: the values must agree
        for (String[] check : List.of(new String[] {"dump", "/session_id_to_ephemeral_paths"},
                new String[] {"watches", "/session_id_to_watched_paths"})) {
            JsonNode ours = JSON.readTree(get(corralBase + "/" + check[0])).at(check[1]);
            JsonNode theirs = JSON.readTree(get(zookeeperBase + "/" + check[0])).at(check[1]);
            assertThat(values(ours)).as(check[0]).isEqualTo(values(theirs));
        }
        JsonNode ours = JSON.readTree(get(corralBase + "/watches_by_path")).at("/path_to_session_ids");
        JsonNode theirs = JSON.readTree(get(zookeeperBase + "/watches_by_path")).at("/path_to_session_ids");
        assertThat(ours.size()).isEqualTo(theirs.size());
        theirs.fieldNames().forEachRemaining(path -> assertThat(ours.has(path)).as(path).isTrue());
    }

    @Test
    void anUnknownCommandIsAnsweredAsZooKeeperAnswersIt() throws Exception {
        assertThat(JSON.readTree(get(corralBase + "/nosuch"))).isEqualTo(JSON.readTree(get(zookeeperBase + "/nosuch")));
    }

    @Test
    void probesForKubernetes() throws Exception {
        String base = "http://127.0.0.1:" + servers.corral.adminAddress().getPort();
        assertThat(status(base + "/health/live")).isEqualTo(200);
        assertThat(status(base + "/health/ready")).isEqualTo(200);
    }

    /** Each field of ours is one of theirs with the same JSON type; arrays compare their first elements. */
    private static void assertSameFields(String command, String path, JsonNode ours, JsonNode theirs) {
        if (path.contains("system_properties") || command.equals("system_properties")
                || command.equals("environment") && !path.isEmpty()) {
            return; // a JVM's own properties: only the top level is compared
        }
        assertThat(ours.getNodeType()).as(command + path + " type").isEqualTo(theirs.getNodeType());
        if (ours.isObject() && !isIdKeyed(path)) {
            Iterator<String> names = ours.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (command.equals("monitor") && name.startsWith("corral_")) {
                    continue; // Corral's own figures
                }
                if (command.equals("system_properties") || command.equals("environment")) {
                    continue;
                }
                assertThat(theirs.has(name)).as(command + path + "/" + name + " is one of ZooKeeper's").isTrue();
                assertSameFields(command, path + "/" + name, ours.get(name), theirs.get(name));
            }
        } else if (ours.isArray() && !ours.isEmpty() && !theirs.isEmpty()) {
            assertSameFields(command, path + "/0", ours.get(0), theirs.get(0));
        }
    }

    /** Objects keyed by session id or expiry time: their keys differ between any two servers. */
    private static boolean isIdKeyed(String path) {
        return path.endsWith("_to_ephemeral_paths") || path.endsWith("_to_watched_paths")
                || path.endsWith("expiry_time_to_session_ids");
    }

    private static List<String> values(JsonNode idKeyed) {
        List<String> values = new ArrayList<>();
        idKeyed.elements().forEachRemaining(v -> values.add(v.toString()));
        values.sort(null);
        return values;
    }

    private List<String> commandsListed(String base) throws Exception {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("<a href=\"/commands/([a-z_]+)\">").matcher(get(base));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private String get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private int status(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
