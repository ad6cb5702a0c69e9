package io.corral.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.corral.server.CorralServer;
import io.corral.server.compat.CompatHarness;
import io.corral.server.compat.ZkClients;
import io.corral.server.config.ServerConfig;
import io.corral.server.ensemble.InProcessEnsemble;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The admin commands about the ensemble on a Corral ensemble of three voters and an observer: leader, zabstate,
 * voting_view and mntr's quorum_size and election_time answer what the ensemble is. Their field names are ZooKeeper
 * 3.9.5's (as its Commands classes write them; a ZooKeeper ensemble is not run here), with ZooKeeper's JSON types.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnsembleAdminCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> LEADER_FIELDS = Set.of("command", "error", "is_leader", "leader_id", "leader_ip");
    private static final Set<String> ZABSTATE_FIELDS = Set.of("command", "error", "myid", "is_leader",
            "quorum_address", "election_address", "client_address", "voting", "last_zxid", "zab_epoch", "zab_counter",
            "zabstate");
    private static final Set<String> SERVER_VIEW_FIELDS = Set.of("server_addresses", "election_addresses",
            "client_address", "learner_type");

    private final HttpClient http = HttpClient.newHttpClient();
    private Path root;
    private InProcessEnsemble ensemble;
    private long leader;

    @BeforeAll
    void start() {
        root = CompatHarness.newTempDir("corral-ensemble-admin-");
        ensemble = new InProcessEnsemble(root, 3, 1, Map.of("admin.enableServer", "true",
                "admin.serverAddress", "127.0.0.1", "admin.serverPort", "0"));
        ensemble.startAll();
        leader = ensemble.awaitServing(Duration.ofSeconds(60));
    }

    @AfterAll
    void stop() {
        if (ensemble != null) {
            ensemble.close();
        }
        CompatHarness.deleteRecursively(root);
    }

    @Test
    void leaderNamesTheLeaderOnEveryServer() throws Exception {
        for (long id : ensemble.ids()) {
            JsonNode answer = command(id, "leader");
            assertThat(fields(answer)).as("server %d", id).isSubsetOf(LEADER_FIELDS);
            assertThat(answer.get("is_leader").asBoolean()).isEqualTo(id == leader);
            assertThat(answer.get("leader_id").isIntegralNumber()).isTrue();
            assertThat(answer.get("leader_id").asLong()).isEqualTo(leader);
            assertThat(answer.get("leader_ip").asText()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void zabstateIsBroadcastOnceServing() throws Exception {
        for (long id : ensemble.ids()) {
            JsonNode answer = command(id, "zabstate");
            assertThat(fields(answer)).as("server %d", id).isSubsetOf(ZABSTATE_FIELDS);
            assertThat(answer.get("myid").asLong()).isEqualTo(id);
            assertThat(answer.get("is_leader").asBoolean()).isEqualTo(id == leader);
            assertThat(answer.get("voting").asBoolean()).as("server %d votes", id).isEqualTo(id != 4);
            assertThat(answer.get("zabstate").asText()).isEqualTo("broadcast");
            assertThat(answer.get("last_zxid").asText()).matches("0x[0-9a-f]+");
            assertThat(answer.get("zab_epoch").isIntegralNumber()).isTrue();
            assertThat(answer.get("zab_counter").isIntegralNumber()).isTrue();
        }
    }

    @Test
    void votingViewListsTheVotersOnly() throws Exception {
        JsonNode config = command(leader, "voting_view").get("current_config");
        assertThat(fields(config)).containsExactlyInAnyOrder("1", "2", "3");
        for (String id : fields(config)) {
            JsonNode member = config.get(id);
            assertThat(fields(member)).containsExactlyInAnyOrderElementsOf(SERVER_VIEW_FIELDS);
            assertThat(member.get("server_addresses").get(0).asText()).matches("127\\.0\\.0\\.1:[0-9]+");
            assertThat(member.get("election_addresses").get(0).asText()).matches("127\\.0\\.0\\.1:[0-9]+");
            assertThat(member.get("learner_type").asText()).isEqualTo("participant");
        }
    }

    @Test
    void monitorHasTheQuorumSizeAndTheElectionTime() throws Exception {
        for (long id : ensemble.ids()) {
            JsonNode monitor = command(id, "monitor");
            assertThat(monitor.get("quorum_size").asInt()).as("server %d", id).isEqualTo(3);
            assertThat(monitor.get("cnt_election_time").asLong()).as("server %d", id).isGreaterThanOrEqualTo(1);
            assertThat(monitor.get("max_election_time").asLong()).isGreaterThanOrEqualTo(0);
        }
    }

    /**
     * The leader lists its observer (server 4) with ZooKeeper's LearnerHandler fields, figures that follow what it
     * does (the write its client sent went through the observer's link; the leader's last zxid reached it), and
     * observer_connection_stat_reset starts its counts again; the other servers have no observers.
     */
    @Test
    void observersListsTheObserverOnTheLeader() throws Exception {
        long started = System.currentTimeMillis();
        ZooKeeper viaObserver = ZkClients.connect(ensemble.connectString(4));
        Stat created = new Stat();
        try {
            viaObserver.create("/through-the-observer", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT, created);
        } finally {
            ZkClients.closeQuietly(viaObserver);
        }
        JsonNode answer = command(leader, "observers");
        assertThat(fields(answer)).containsExactlyInAnyOrder("command", "error", "synced_observers", "observers");
        assertThat(answer.get("synced_observers").asInt()).isEqualTo(1);
        JsonNode observer = answer.get("observers").get(0);
        assertThat(fields(observer)).containsExactly("remote_socket_address", "sid", "established",
                "queued_packets", "queued_packets_size", "packets_received", "packets_sent", "requests", "last_zxid");
        assertThat(observer.get("sid").asLong()).isEqualTo(4);
        assertThat(observer.get("remote_socket_address").asText()).matches("/127\\.0\\.0\\.1:[0-9]+");
        assertThat(observer.get("established").asLong()).isPositive().isLessThanOrEqualTo(started);
        assertThat(observer.get("queued_packets").asInt()).isGreaterThanOrEqualTo(0);
        assertThat(observer.get("queued_packets_size").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(observer.get("packets_received").asLong()).isPositive();
        assertThat(observer.get("packets_sent").asLong()).isPositive();
        assertThat(observer.get("requests").asLong()).as("its client's create and its closeSession, at least")
                .isGreaterThanOrEqualTo(1);
        assertThat(observer.get("last_zxid").asLong()).isGreaterThanOrEqualTo(created.getCzxid());

        JsonNode reset = command(leader, "observer_connection_stat_reset");
        assertThat(reset.get("error").isNull()).isTrue();
        assertThat(command(leader, "observers").get("observers").get(0).get("requests").asLong()).isZero();

        for (long id : ensemble.ids()) {
            if (id != leader) {
                JsonNode none = command(id, "observers");
                assertThat(none.get("synced_observers").asInt()).as("server %d", id).isZero();
                assertThat(none.get("observers").size()).as("server %d", id).isZero();
            }
        }
    }

    /**
     * Every member, the observer too, logs the same digest for the same zxid: what ZooKeeper's digest log is for,
     * comparing servers.
     */
    @Test
    void everyMemberHashesTheTreeAlike() throws Exception {
        ZooKeeper zk = ZkClients.connect(ensemble.connectString(leader));
        long last;
        try {
            Stat stat = new Stat();
            for (int i = 0; ; i++) {
                zk.create("/hashed-" + i, new byte[] {(byte) i}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                        stat);
                if (stat.getCzxid() % 128 == 0) {
                    last = stat.getCzxid();
                    break;
                }
            }
        } finally {
            ZkClients.closeQuietly(zk);
        }
        JsonNode expected = null;
        for (long id : ensemble.ids()) {
            ZooKeeper member = ZkClients.connect(ensemble.connectString(id));
            try {
                java.util.concurrent.CompletableFuture<Void> synced = new java.util.concurrent.CompletableFuture<>();
                member.sync("/", (rc, path, ctx) -> synced.complete(null), null);
                synced.get(30, java.util.concurrent.TimeUnit.SECONDS); // it has applied the leader's writes
            } finally {
                ZkClients.closeQuietly(member);
            }
            JsonNode digests = command(id, "hash").get("digests");
            JsonNode entry = null;
            for (JsonNode d : digests) {
                if (d.get("zxid").asLong() == last) {
                    entry = d;
                }
            }
            assertThat(entry).as("server %d logged zxid 0x%x", id, last).isNotNull();
            if (expected == null) {
                expected = entry;
            }
            assertThat(entry).as("server %d", id).isEqualTo(expected);
        }
    }

    /** Every server shows the configuration it started with: its own keys, the ensemble's server lines. */
    @Test
    void initialConfigurationIsWhatEachServerStartedWith() throws Exception {
        for (long id : ensemble.ids()) {
            String text = command(id, "initial_configuration").get("initial_configuration").asText();
            assertThat(text).as("server %d", id).contains("server.1=127.0.0.1:", "server.4=127.0.0.1:")
                    .contains("admin.enableServer=true");
            assertThat(text).as("server %d", id).contains("dataDir=" + root.resolve("server" + id));
        }
    }

    /**
     * A backup taken from a follower holds what the leader committed before it, and restores into a standalone
     * server; a member of the ensemble refuses to be restored on its own.
     */
    @Test
    void aFollowersBackupRestoresIntoAStandaloneServer() throws Exception {
        long follower = ensemble.ids().stream().filter(id -> id != leader && id != 4).findFirst().orElseThrow();
        ZooKeeper zk = ZkClients.connect(ensemble.connectString(leader));
        try {
            zk.create("/from-the-ensemble", "v".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } finally {
            ZkClients.closeQuietly(zk);
        }
        ZooKeeper followerClient = ZkClients.connect(ensemble.connectString(follower));
        try {
            followerClient.sync("/", (rc, path, ctx) -> { }, null);
            followerClient.getData("/from-the-ensemble", false, null); // the follower has applied it
        } finally {
            ZkClients.closeQuietly(followerClient);
        }
        HttpResponse<byte[]> backup = http.send(HttpRequest.newBuilder(admin(follower, "snapshot?streaming=true"))
                .header("Authorization", "digest operator:pw").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(backup.statusCode()).isEqualTo(200);

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(admin(follower, "restore"))
                .header("Authorization", "digest operator:pw")
                .POST(HttpRequest.BodyPublishers.ofByteArray(backup.body())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(refused.body()).get("error").asText()).contains("standalone");

        Path dir = root.resolve("standalone");
        try (CorralServer standalone = CorralServer.start(ServerConfig.parse(Map.of("dataDir", dir.toString(),
                "clientPort", "0", "clientPortAddress", "127.0.0.1", "admin.enableServer", "true",
                "admin.serverAddress", "127.0.0.1", "admin.serverPort", "0")))) {
            HttpResponse<String> restored = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + standalone.adminAddress().getPort() + "/commands/restore"))
                    .header("Authorization", "digest operator:pw")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(backup.body())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
            ZooKeeper client = ZkClients.connect("127.0.0.1:" + standalone.clientAddress().getPort());
            try {
                assertThat(client.getData("/from-the-ensemble", false, null)).isEqualTo("v".getBytes());
            } finally {
                ZkClients.closeQuietly(client);
            }
        }
    }

    private URI admin(long id, String command) {
        return URI.create("http://127.0.0.1:" + ensemble.server(id).adminAddress().getPort() + "/commands/"
                + command);
    }

    private JsonNode command(long id, String name) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + ensemble.server(id).adminAddress().getPort() + "/commands/" + name)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
