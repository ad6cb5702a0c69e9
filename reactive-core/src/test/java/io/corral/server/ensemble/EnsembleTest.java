package io.corral.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.corral.client.CorralClient;
import io.corral.client.NodeData;
import io.corral.client.TcpProxy;
import io.corral.server.compat.ZkClients;
import io.corral.server.config.DataDirectories;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Three (and three plus an observer) Corral servers in one JVM, used through the official ZooKeeper client:
 * election, writes through any server, reads everywhere, a stopped leader replaced without losing a write, a
 * restarted server catching up, sessions moving between servers.
 */
class EnsembleTest {
    private static final Duration SERVING = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private InProcessEnsemble ensemble;
    private final List<ZooKeeper> clients = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        for (ZooKeeper zk : clients) {
            zk.close(1000);
        }
        if (ensemble != null) {
            ensemble.close();
        }
    }

    private ZooKeeper client(String connectString) {
        ZooKeeper zk = ZkClients.connect(connectString);
        clients.add(zk);
        return zk;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void oneLeaderIsElectedAndWritesThroughAnyServerAreReadEverywhere() throws Exception {
        ensemble = new InProcessEnsemble(dir, 3, 0, Map.of());
        ensemble.startAll();
        long leader = ensemble.awaitServing(SERVING);
        assertThat(ensemble.ids().stream().filter(id -> ensemble.mode(id).equals("leader"))).hasSize(1);
        assertThat(ensemble.ids().stream().filter(id -> ensemble.mode(id).equals("follower"))).hasSize(2);

        List<ZooKeeper> perServer = new ArrayList<>();
        for (long id : ensemble.ids()) {
            perServer.add(client(ensemble.connectString(id)));
        }
        ZooKeeper viaFollower = perServer.get((int) (leader == 1 ? 1 : 0));
        viaFollower.create("/app", bytes("v0"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (int i = 0; i < perServer.size(); i++) {
            perServer.get(i).create("/app/seq-", bytes("from " + i), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT_SEQUENTIAL);
        }
        Stat written = viaFollower.setData("/app", bytes("v1"), 0);
        assertThatThrownBy(() -> viaFollower.create("/app", null, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT)).isInstanceOf(KeeperException.NodeExistsException.class);

        for (ZooKeeper zk : perServer) {
            zk.sync("/app", (rc, path, ctx) -> { }, null);
            Stat stat = new Stat();
            assertThat(text(zk.getData("/app", false, stat))).isEqualTo("v1");
            assertThat(stat).isEqualTo(written);
            assertThat(zk.getChildren("/app", false)).containsExactlyInAnyOrder(
                    "seq-0000000000", "seq-0000000001", "seq-0000000002");
        }
        String mntr = ensemble.fourLetterWord(leader, "mntr");
        assertThat(mntr).contains("zk_server_state\tleader").contains("zk_synced_followers\t2");
    }

    @Test
    void aStoppedLeaderIsReplacedWithoutLosingAnAcknowledgedWriteAndCatchesUpOnRestart() throws Exception {
        ensemble = new InProcessEnsemble(dir, 3, 0, Map.of());
        ensemble.startAll();
        long leader = ensemble.awaitServing(SERVING);
        ZooKeeper zk = client(ensemble.connectString());
        zk.create("/kept", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        List<CompletableFuture<String>> acked = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            CompletableFuture<String> done = new CompletableFuture<>();
            zk.create("/kept/n" + i, bytes("" + i), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                    (rc, path, ctx, name) -> {
                        if (rc == 0) {
                            done.complete(name);
                        } else {
                            done.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc), path));
                        }
                    }, null);
            acked.add(done);
        }
        CompletableFuture.allOf(acked.toArray(new CompletableFuture[0])).get();

        ensemble.stop(leader);
        long newLeader = ensemble.awaitServing(SERVING);
        assertThat(newLeader).isNotEqualTo(leader);
        ZooKeeper after = client(ensemble.connectString());
        assertThat(after.getChildren("/kept", false)).hasSize(200);
        after.create("/kept/after", bytes("x"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        ensemble.start(leader);
        ensemble.awaitServing(SERVING);
        assertThat(ensemble.mode(leader)).isEqualTo("follower");
        ZooKeeper onRestarted = client(ensemble.connectString(leader));
        onRestarted.sync("/kept", (rc, path, ctx) -> { }, null);
        assertThat(onRestarted.getChildren("/kept", false)).hasSize(201);
        assertThat(text(onRestarted.getData("/kept/after", false, null))).isEqualTo("x");
    }

    @Test
    void aFollowerTooFarBehindGetsASnapshotAndRestartsFromIt() throws Exception {
        ensemble = new InProcessEnsemble(dir, 3, 0, Map.of("learnerDiffLimit", "5"));
        ensemble.startAll();
        long leader = ensemble.awaitServing(SERVING);
        long behind = ensemble.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
        ZooKeeper zk = client(ensemble.connectString(leader));
        zk.create("/snap", bytes("before"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        ensemble.stop(behind);
        for (int i = 0; i < 50; i++) {
            zk.create("/snap/n" + i, bytes("" + i), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        zk.setData("/snap", bytes("after"), -1);

        ensemble.start(behind);
        ensemble.awaitServing(SERVING);
        ZooKeeper onBehind = client(ensemble.connectString(behind));
        onBehind.sync("/snap", (rc, path, ctx) -> { }, null);
        assertThat(onBehind.getChildren("/snap", false)).hasSize(50);
        assertThat(text(onBehind.getData("/snap", false, null))).isEqualTo("after");
        // the snapshot travelled through files on both sides (memory holds a chunk at most); both are gone
        for (long id : List.of(leader, behind)) {
            try (var files = java.nio.file.Files.list(dir.resolve("server" + id).resolve(DataDirectories.SNAPSHOTS))) {
                assertThat(files.map(f -> f.getFileName().toString())).as("snapshot files of server " + id)
                        .noneMatch(name -> name.endsWith(".tmp"));
            }
        }
        zk.create("/snap/later", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        ensemble.stop(behind); // it restarts from the snapshot it was sent plus what it logged after it
        ensemble.start(behind);
        ensemble.awaitServing(SERVING);
        ZooKeeper again = client(ensemble.connectString(behind));
        again.sync("/snap", (rc, path, ctx) -> { }, null);
        assertThat(again.getChildren("/snap", false)).hasSize(51);
        assertThat(java.nio.file.Files.list(dir.resolve("server" + behind).resolve(DataDirectories.SNAPSHOTS)))
                .as("the installed snapshot is on disk").isNotEmpty();
    }

    @Test
    void aSessionAndItsEphemeralSurviveTheLossOfItsServer() throws Exception {
        ensemble = new InProcessEnsemble(dir, 3, 0, Map.of());
        ensemble.startAll();
        long leader = ensemble.awaitServing(SERVING);
        long follower = ensemble.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
        long other = ensemble.ids().stream().filter(id -> id != leader && id != follower).findFirst().orElseThrow();
        ZooKeeper zk = ZkClients.connect(ensemble.connectString(follower) + "," + ensemble.connectString(other),
                10_000, null);
        clients.add(zk);
        long session = zk.getSessionId();
        zk.create("/eph", bytes("mine"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        ZooKeeper observer = client(ensemble.connectString(leader));
        assertThat(observer.exists("/eph", false).getEphemeralOwner()).isEqualTo(session);

        ensemble.stop(follower);
        ensemble.stop(other);
        ensemble.start(other);
        ensemble.awaitServing(SERVING);
        // the client's getState() reads CONNECTED until its next connection attempt, so a read is the real test:
        // it fails with CONNECTIONLOSS until the session is back on a serving server
        await().atMost(Duration.ofSeconds(20)).ignoreException(KeeperException.ConnectionLossException.class)
                .until(() -> text(zk.getData("/eph", false, null)).equals("mine"));
        assertThat(zk.getSessionId()).isEqualTo(session);
        zk.close();
        ZooKeeper check = client(ensemble.connectString(leader));
        await().atMost(Duration.ofSeconds(10)).until(() -> check.exists("/eph", false) == null);
    }

    @Test
    void aSessionOnAFollowerIsKeptAliveByItsPingsAndExpiredByTheLeaderWhenItsClientGoes() throws Exception {
        ensemble = new InProcessEnsemble(dir, 3, 0, Map.of());
        ensemble.startAll();
        long leader = ensemble.awaitServing(SERVING);
        long follower = ensemble.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
        ZooKeeper onLeader = client(ensemble.connectString(leader));
        try (TcpProxy proxy = new TcpProxy(ensemble.connectString(follower))) {
            ZooKeeper zk = ZkClients.connect(proxy.connectString(), 2_000, null);
            clients.add(zk);
            zk.create("/alive", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            long created = System.nanoTime();
            // three session timeouts of pings through the follower only: the leader must hear of them
            await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ofSeconds(6))
                    .until(() -> System.nanoTime() - created > Duration.ofSeconds(6).toNanos());
            assertThat(onLeader.exists("/alive", false)).isNotNull();
            assertThat(zk.getState()).isEqualTo(ZooKeeper.States.CONNECTED);

            proxy.refuse(true);
            proxy.cutAll();
            await().atMost(Duration.ofSeconds(20)).until(() -> onLeader.exists("/alive", false) == null);
            ZooKeeper onFollower = client(ensemble.connectString(follower));
            assertThat(onFollower.exists("/alive", false)).isNull();
        }
    }

    @Test
    void corralsLinearizableReadOnAFollowerSeesEveryCompletedWrite() throws Exception {
        ensemble = new InProcessEnsemble(dir, 3, 0, Map.of());
        ensemble.startAll();
        long leader = ensemble.awaitServing(SERVING);
        long follower = ensemble.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
        ZooKeeper writer = client(ensemble.connectString(leader));
        CorralClient reader = CorralClient.connect(ensemble.connectString(follower)).block(SERVING);
        try {
            writer.create("/lin", bytes("0"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (int i = 1; i <= 20; i++) {
                writer.setData("/lin", bytes("" + i), -1);
                NodeData read = reader.getDataLinearizable("/lin").block(SERVING);
                assertThat(text(read.data())).isEqualTo("" + i);
            }
        } finally {
            reader.close().block(SERVING);
        }
    }

    @Test
    void anObserverServesReadsAndForwardsWritesWithoutVoting() throws Exception {
        ensemble = new InProcessEnsemble(dir, 3, 1, Map.of());
        ensemble.startAll();
        long leader = ensemble.awaitServing(SERVING);
        assertThat(ensemble.mode(4)).isEqualTo("observer");
        ZooKeeper viaObserver = client(ensemble.connectString(4));
        viaObserver.create("/obs", bytes("o"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        ZooKeeper viaLeader = client(ensemble.connectString(leader));
        assertThat(text(viaLeader.getData("/obs", false, null))).isEqualTo("o");
        viaLeader.setData("/obs", bytes("p"), -1);
        viaObserver.sync("/obs", (rc, path, ctx) -> { }, null);
        assertThat(text(viaObserver.getData("/obs", false, null))).isEqualTo("p");
        assertThat(ensemble.fourLetterWord(leader, "mntr")).contains("zk_synced_followers\t2")
                .contains("zk_synced_observers\t1");
    }
}
