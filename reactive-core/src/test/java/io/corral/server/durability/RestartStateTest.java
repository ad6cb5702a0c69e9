package io.corral.server.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.server.config.DataDirectories;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.corral.server.CorralServer;
import io.corral.server.compat.CompatHarness;
import io.corral.server.compat.ZkClients;
import io.corral.server.config.ServerConfig;

/**
 * A clean stop and start on the same port and data directory gives back exactly the same namespace: every node of
 * every kind with its data (null and empty kept apart), its whole Stat (ctime, mtime, versions, cversion, pzxid,
 * ephemeralOwner, ...) and its ACL. A session open across the restart reconnects within its timeout and still owns
 * its ephemerals; a session whose client went away while the server was down expires after the restart. Zxids
 * keep increasing. Run with the state in the log only, in a snapshot plus the log (snapCount=2, fuzzy snapshots
 * all along), and with a snapshot forced after the last change, each restarted twice.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RestartStateTest {

    private static final String ALICE = "alice:secret";
    private static final int OWNER_TIMEOUT_MS = 10_000; // tickTime 500: the largest timeout the server grants
    private static final int TTL_MS = 3_600_000;

    @TempDir
    Path dir;

    private final int port = Durability.freePort();
    private CorralServer server;
    private final List<ZooKeeper> clients = new ArrayList<>();

    @AfterEach
    void tearDown() {
        clients.forEach(ZkClients::closeQuietly);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void stateFromTheLogOnly() throws Exception {
        restartKeepsEverything(100_000, false);
        assertThat(snapshotZxids()).as("no snapshot taken").isEmpty();
    }

    @Test
    void stateFromFuzzySnapshotsPlusTheLog() throws Exception {
        restartKeepsEverything(2, false);
        assertThat(snapshotZxids()).as("snapshots taken").isNotEmpty();
    }

    @Test
    void stateFromASnapshotTakenAfterTheLastChange() throws Exception {
        restartKeepsEverything(10, true);
    }

    private void start(int snapCount) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("dataDir", dir.resolve("data").toString());
        keys.put("clientPort", Integer.toString(port));
        keys.put("clientPortAddress", "127.0.0.1");
        keys.put("tickTime", "500");
        keys.put("extendedTypesEnabled", "true");
        keys.put("snapCount", Integer.toString(snapCount));
        server = CorralServer.start(ServerConfig.parse(keys));
    }

    private void stop() {
        server.close();
        server = null;
    }

    private ZooKeeper connect(int timeoutMs, ConcurrentLinkedQueue<KeeperState> states) {
        ZooKeeper zk = ZkClients.connect("127.0.0.1:" + port, timeoutMs, event -> {
            if (states != null && event.getType() == EventType.None) {
                states.add(event.getState());
            }
        });
        clients.add(zk);
        return zk;
    }

    private ZooKeeper alice() {
        ZooKeeper zk = connect(ZkClients.DEFAULT_SESSION_TIMEOUT_MS, null);
        zk.addAuthInfo("digest", ALICE.getBytes(StandardCharsets.UTF_8));
        return zk;
    }

    private void restartKeepsEverything(int snapCount, boolean forceSnapshotAfterLastChange) throws Exception {
        start(snapCount);
        ConcurrentLinkedQueue<KeeperState> ownerStates = new ConcurrentLinkedQueue<>();
        ZooKeeper owner = connect(OWNER_TIMEOUT_MS, ownerStates);
        ZooKeeper admin = alice();
        List<String> ephemerals = build(admin, owner);

        // a session whose client disappears while the server is down: it must expire after the restart
        ZooKeeper leaver = connect(2_000, null);
        leaver.create("/expiring", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        leaver.create("/expiring/e", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

        if (forceSnapshotAfterLastChange) {
            ZooKeeper writer = admin;
            Stat mark = new Stat();
            admin.create("/filler", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, mark);
            // writes elsewhere until a snapshot begins after every change above
            await("a snapshot at or after zxid 0x" + Long.toHexString(mark.getCzxid()))
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        writer.setData("/filler", null, -1);
                        return snapshotZxids().stream().anyMatch(z -> z >= mark.getCzxid());
                    });
        }

        for (int restart = 1; restart <= 2; restart++) {
            Map<String, Durability.Node> before = withoutExpiring(Durability.dump(admin, "/"));
            long highWater = Durability.maxZxid(before);
            ZkClients.closeQuietly(admin);
            clients.remove(admin);
            ownerStates.clear();

            stop();
            if (restart == 1) {
                ZkClients.closeQuietly(leaver); // its closeSession cannot reach anyone
                clients.remove(leaver);
            }
            start(snapCount);

            // the open session comes back by itself, within its timeout, and is not expired
            await("owner session reconnected").atMost(Duration.ofMillis(OWNER_TIMEOUT_MS))
                    .until(() -> ownerStates.contains(KeeperState.SyncConnected));
            assertThat(ownerStates).as("owner session states across the restart")
                    .doesNotContain(KeeperState.Expired).contains(KeeperState.Disconnected);

            admin = alice();
            Map<String, Durability.Node> after = withoutExpiring(Durability.dump(admin, "/"));
            assertSame(before, after, "restart " + restart);
            assertThat(owner.getEphemerals()).as("the owner's ephemerals").containsExactlyInAnyOrderElementsOf(ephemerals);

            // the ephemerals still belong to the owner, which can go on using its session
            for (String e : ephemerals) {
                assertThat(owner.exists(e, false).getEphemeralOwner()).as(e).isEqualTo(owner.getSessionId());
            }
            Stat write = owner.setData("/rs/e", ("after restart " + restart).getBytes(StandardCharsets.UTF_8), -1);
            assertThat(write.getMzxid()).as("zxid of the first write after restart %d", restart)
                    .isGreaterThan(highWater);
            Stat create = new Stat();
            admin.create("/rs/after-" + restart, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, create);
            assertThat(create.getCzxid()).isGreaterThan(write.getMzxid());

            if (restart == 1) {
                ZooKeeper reader = admin;
                await("the departed session's ephemeral removed by expiry").atMost(Duration.ofSeconds(20))
                        .until(() -> reader.exists("/expiring/e", false) == null);
            }
        }
    }

    /** Nodes of every kind, changed in every way. */
    private static List<String> build(ZooKeeper admin, ZooKeeper owner) throws Exception {
        List<ACL> open = ZooDefs.Ids.OPEN_ACL_UNSAFE;
        Id alice = new Id("digest", CompatHarness.digestId(ALICE));
        // mutable lists: the client's ACL check calls contains(null), which List.of refuses
        List<ACL> aliceAllWorldRead = new ArrayList<>(List.of(new ACL(Perms.ALL, alice),
                new ACL(Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE)));
        List<ACL> aliceOnly = new ArrayList<>(List.of(new ACL(Perms.READ | Perms.WRITE | Perms.ADMIN, alice)));

        admin.create("/rs", "root".getBytes(StandardCharsets.UTF_8), open, CreateMode.PERSISTENT);
        admin.create("/rs/p", "p0".getBytes(StandardCharsets.UTF_8), open, CreateMode.PERSISTENT);
        for (int i = 1; i <= 3; i++) {
            admin.setData("/rs/p", ("p" + i).getBytes(StandardCharsets.UTF_8), i - 1);
        }
        for (int i = 0; i < 3; i++) {
            admin.create("/rs/seq-", ("s" + i).getBytes(StandardCharsets.UTF_8), open, CreateMode.PERSISTENT_SEQUENTIAL);
        }
        admin.delete("/rs/seq-0000000001", 0);
        List<String> ephemerals = List.of(
                owner.create("/rs/e", "eph".getBytes(StandardCharsets.UTF_8), open, CreateMode.EPHEMERAL),
                owner.create("/rs/es-", null, open, CreateMode.EPHEMERAL_SEQUENTIAL),
                owner.create("/rs/es-", new byte[0], open, CreateMode.EPHEMERAL_SEQUENTIAL));
        admin.create("/rs/c", "container".getBytes(StandardCharsets.UTF_8), open, CreateMode.CONTAINER);
        admin.create("/rs/c/child", null, open, CreateMode.PERSISTENT);
        admin.create("/rs/ttl", "ttl".getBytes(StandardCharsets.UTF_8), open, CreateMode.PERSISTENT_WITH_TTL, new Stat(),
                TTL_MS);
        admin.create("/rs/ttlseq-", null, open, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, new Stat(), TTL_MS);
        admin.create("/rs/acl", "secret".getBytes(StandardCharsets.UTF_8), aliceAllWorldRead, CreateMode.PERSISTENT);
        admin.create("/rs/acl/child", null, aliceOnly, CreateMode.PERSISTENT);
        admin.create("/rs/setacl", null, open, CreateMode.PERSISTENT);
        admin.setACL("/rs/setacl", aliceAllWorldRead, 0);
        admin.setACL("/rs/setacl", aliceOnly, 1);
        admin.create("/rs/null", null, open, CreateMode.PERSISTENT);
        admin.create("/rs/empty", new byte[0], open, CreateMode.PERSISTENT);
        admin.create("/rs/del", null, open, CreateMode.PERSISTENT);
        admin.delete("/rs/del", -1);
        admin.multi(List.of(
                Op.create("/rs/m1", "m1".getBytes(StandardCharsets.UTF_8), open, CreateMode.PERSISTENT),
                Op.create("/rs/m1/m2", null, open, CreateMode.PERSISTENT_SEQUENTIAL),
                Op.setData("/rs/p", "from multi".getBytes(StandardCharsets.UTF_8), 3),
                Op.check("/rs", 0)));
        byte[] big = new byte[200_000];
        new Random(42).nextBytes(big);
        admin.create("/rs/big", big, open, CreateMode.PERSISTENT);
        admin.create("/rs/deep", null, open, CreateMode.PERSISTENT);
        admin.create("/rs/deep/a", null, open, CreateMode.PERSISTENT);
        admin.create("/rs/deep/a/b", "b".getBytes(StandardCharsets.UTF_8), open, CreateMode.PERSISTENT);
        admin.setData("/rs/deep/a/b", "b2".getBytes(StandardCharsets.UTF_8), -1);
        admin.create("/rs/deep/a/b/c", null, open, CreateMode.EPHEMERAL); // the admin's own: gone after it closes
        admin.delete("/rs/deep/a/b/c", -1);
        admin.setData("/", "root data".getBytes(StandardCharsets.UTF_8), -1);
        return ephemerals;
    }

    private static Map<String, Durability.Node> withoutExpiring(Map<String, Durability.Node> nodes) {
        Map<String, Durability.Node> out = new LinkedHashMap<>(nodes);
        out.keySet().removeIf(p -> p.equals("/expiring") || p.startsWith("/expiring/"));
        // the root's child list is stable (/expiring itself stays), its Stat too: only /expiring changes
        return out;
    }

    private static void assertSame(Map<String, Durability.Node> before, Map<String, Durability.Node> after,
                                   String what) {
        assertThat(new TreeSet<>(after.keySet())).as("paths after %s", what)
                .containsExactlyElementsOf(new TreeSet<>(before.keySet()));
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<String, Durability.Node> e : before.entrySet()) {
            Durability.Node a = after.get(e.getKey());
            if (!e.getValue().equals(a)) {
                diffs.add("before: " + e.getValue() + "\n   after:  " + a);
            }
        }
        assertThat(diffs).as("nodes that differ after %s", what).isEmpty();
    }

    private List<Long> snapshotZxids() throws Exception {
        Path snapshots = dir.resolve("data").resolve(DataDirectories.SNAPSHOTS);
        if (!Files.isDirectory(snapshots)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(snapshots)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("snapshot\\.[0-9a-f]{16}"))
                    .map(n -> Long.parseUnsignedLong(n.substring("snapshot.".length()), 16)).sorted().toList();
        }
    }
}
