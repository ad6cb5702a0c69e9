package io.corral.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.corral.server.compat.CorralServers;
import io.corral.server.compat.ServerUnderTest;
import io.corral.server.compat.ZkClients;
import io.corral.server.tree.TreeDigest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.FourLetterWordMain;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code hash} four-letter word and admin command on Corral and on Apache ZooKeeper 3.9.5 (its admin server in a
 * child JVM), after the same writes: each lists the tree's digest at every 128th zxid in ZooKeeper's format, and the
 * digest each lists for its last zxid is ZooKeeper's digest of the tree recomputed from what a client reads (every
 * node's path, data and Stat). One check for both, so Corral's digest means what ZooKeeper's does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HashAgainstZooKeeperTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private CorralBesideZooKeeper servers;

    @BeforeAll
    void start() throws Exception {
        servers = CorralBesideZooKeeper.withAdminServers(Map.of("4lw.commands.whitelist", "*"));
    }

    @AfterAll
    void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"corral", "zookeeper"})
    void hashListsTheDigestOfTheTreeAtEvery128thZxid(String which) throws Exception {
        boolean corral = which.equals("corral");
        ZooKeeper zk = corral ? servers.corralClient : servers.zookeeperClient;
        String connect = corral ? "127.0.0.1:" + servers.corral.clientAddress().getPort()
                : servers.zookeeper.connectString();
        String admin = corral ? "http://127.0.0.1:" + servers.corral.adminAddress().getPort() + "/commands/hash"
                : "http://127.0.0.1:" + servers.zookeeperHttpPort + "/commands/hash";
        long zxid = writeUpToA128thZxid(zk);

        String answer = ask(connect, "hash");
        List<String> lines = answer.lines().toList();
        assertThat(lines).as(which).isNotEmpty().allMatch(line -> line.matches("[0-9a-f]+: [0-9]+"));
        long digest = recomputed(zk);
        assertThat(lines.get(lines.size() - 1)).as(which).isEqualTo(Long.toHexString(zxid) + ": " + digest);

        JsonNode json = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(admin)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(json.get("command").asText()).isEqualTo("hash");
        assertThat(json.get("error").isNull()).as(which).isTrue();
        JsonNode digests = json.get("digests");
        assertThat(digests.size()).as(which).isEqualTo(lines.size());
        JsonNode last = digests.get(digests.size() - 1);
        assertThat(last).as(which).isEqualTo(JSON.readTree("{\"zxid\":" + zxid + ",\"digest\":" + digest
                + ",\"digest_version\":" + TreeDigest.VERSION + "}"));
    }

    /** zookeeper.digest.enabled=false (here its zoo.cfg form): no digest is kept, hash lists none. */
    @Test
    void withoutTheDigestHashListsNothing() throws Exception {
        ServerUnderTest corral = CorralServers.start(Map.of("digest.enabled", "false"));
        ZooKeeper zk = ZkClients.connect(corral.connectString());
        try {
            writeUpToA128thZxid(zk);
            assertThat(ask(corral.connectString(), "hash")).isEmpty();
        } finally {
            ZkClients.closeQuietly(zk);
            corral.close();
        }
    }

    /** Writes of every kind, then creates until one gets a zxid that is a multiple of 128; returns it. */
    private static long writeUpToA128thZxid(ZooKeeper zk) throws Exception {
        List<org.apache.zookeeper.data.ACL> open = ZooDefs.Ids.OPEN_ACL_UNSAFE;
        zk.create("/hash", "h".getBytes(), open, CreateMode.PERSISTENT);
        zk.create("/hash/seq-", null, open, CreateMode.PERSISTENT_SEQUENTIAL);
        zk.create("/hash/gone", null, open, CreateMode.PERSISTENT);
        zk.delete("/hash/gone", -1);
        zk.setData("/hash", "changed".getBytes(), -1);
        zk.setACL("/hash/seq-0000000000", ZooDefs.Ids.READ_ACL_UNSAFE, -1);
        zk.create("/hash/mine", "e".getBytes(), open, CreateMode.EPHEMERAL);
        zk.multi(List.of(Op.create("/hash/m", new byte[0], open, CreateMode.PERSISTENT),
                Op.setData("/hash/m", "in a multi".getBytes(), -1)));
        for (int i = 0; ; i++) {
            Stat stat = new Stat();
            zk.create("/hash/n" + i, new byte[] {(byte) i}, open, CreateMode.PERSISTENT, stat);
            if (stat.getCzxid() % 128 == 0) {
                return stat.getCzxid();
            }
        }
    }

    /**
     * ZooKeeper's digest of the tree a client reads: every node but those under /zookeeper/, with the child-creation
     * count a Stat's cversion is made of (2 creations - children), no container or TTL nodes here.
     */
    private static long recomputed(ZooKeeper zk) throws Exception {
        TreeDigest digest = new TreeDigest();
        ArrayDeque<String> pending = new ArrayDeque<>(List.of("/"));
        while (!pending.isEmpty()) {
            String path = pending.pop();
            Stat s = new Stat();
            byte[] data = zk.getData(path, false, s);
            digest.add(path, data, s.getCzxid(), s.getMzxid(), s.getPzxid(), s.getCtime(), s.getMtime(),
                    s.getVersion(), (s.getCversion() + s.getNumChildren()) / 2, s.getAversion(),
                    s.getEphemeralOwner());
            if (!path.equals("/zookeeper")) {
                for (String child : zk.getChildren(path, false)) {
                    pending.push(path.equals("/") ? "/" + child : path + "/" + child);
                }
            }
        }
        return digest.value();
    }

    private static String ask(String connect, String word) throws Exception {
        String[] hostPort = connect.split(":");
        return FourLetterWordMain.send4LetterWord(hostPort[0], Integer.parseInt(hostPort[1]), word, false, 10_000);
    }
}
