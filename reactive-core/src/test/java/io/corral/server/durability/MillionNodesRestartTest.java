package io.corral.server.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.server.config.DataDirectories;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.corral.server.CorralServer;
import io.corral.server.compat.ZkClients;
import io.corral.server.config.ServerConfig;

/**
 * A million znodes of 100 bytes survive a restart: created with pipelined multi batches (1,000 creates each) from
 * a few sessions while fuzzy snapshots are taken, then the server is stopped and started on the same data
 * directory, recovering from the newest snapshot plus the log after it; the node count matches and sampled nodes
 * hold their data.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class MillionNodesRestartTest {

    private static final int PARENTS = 1_000;
    private static final int CHILDREN = 1_000; // per parent: 1,000,000 in all
    private static final int DATA_SIZE = 100;
    private static final int CLIENTS = 4;
    private static final int IN_FLIGHT_PER_CLIENT = 4;
    private static final int SAMPLES = 2_000;

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

    private void start() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("dataDir", dir.resolve("data").toString());
        keys.put("clientPort", Integer.toString(port));
        keys.put("clientPortAddress", "127.0.0.1");
        keys.put("4lw.commands.whitelist", "*");
        // ~2,000 txns in all (1,000 multis): a snapshot every 500-1,000 txns, so at least one while writing
        keys.put("snapCount", "1000");
        server = CorralServer.start(ServerConfig.parse(keys));
    }

    private ZooKeeper connect() {
        ZooKeeper zk = ZkClients.connect("127.0.0.1:" + port, 30_000, null);
        clients.add(zk);
        return zk;
    }

    static byte[] data(int parent, int child) {
        byte[] b = new byte[DATA_SIZE];
        Arrays.fill(b, (byte) ('a' + (parent + child) % 26));
        byte[] id = String.format("p%04d/n%04d|", parent, child).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, b, 0, id.length);
        return b;
    }

    static String parent(int p) {
        return String.format("/m/p%04d", p);
    }

    static String child(int p, int c) {
        return String.format("/m/p%04d/n%04d", p, c);
    }

    @Test
    void aMillionNodesSurviveARestart() throws Exception {
        long t0 = System.nanoTime();
        start();
        ZooKeeper setup = connect();
        setup.create("/m", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        List<Op> parents = new ArrayList<>();
        for (int p = 0; p < PARENTS; p++) {
            parents.add(Op.create(parent(p), null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        }
        setup.multi(parents);

        List<ZooKeeper> writers = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            writers.add(connect());
        }
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(PARENTS);
        List<Semaphore> windows = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            windows.add(new Semaphore(IN_FLIGHT_PER_CLIENT));
        }
        for (int p = 0; p < PARENTS; p++) {
            int w = p % CLIENTS;
            List<Op> ops = new ArrayList<>(CHILDREN);
            for (int c = 0; c < CHILDREN; c++) {
                ops.add(Op.create(child(p, c), data(p, c), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
            }
            Semaphore window = windows.get(w);
            window.acquire();
            int batch = p;
            writers.get(w).multi(ops, (rc, path, ctx, results) -> {
                if (rc != 0) {
                    failures.add("batch " + batch + ": " + KeeperException.Code.get(rc));
                }
                window.release();
                done.countDown();
            }, null);
        }
        assertThat(done.await(300, TimeUnit.SECONDS)).as("every batch answered").isTrue();
        assertThat(failures).isEmpty();
        long created = System.nanoTime();

        int expected = PARENTS * CHILDREN + PARENTS + 1 + 3; // + /m + /zookeeper, /zookeeper/quota, /zookeeper/config
        assertThat(setup.getAllChildrenNumber("/")).isEqualTo(expected);
        long znodeCount = Durability.mntr(port, "zk_znode_count");
        Path snapshots = dir.resolve("data").resolve(DataDirectories.SNAPSHOTS);
        await("a completed snapshot").atMost(Duration.ofSeconds(120)).until(() -> !snapshotFiles(snapshots).isEmpty());
        Stat lastBefore = setup.exists(child(PARENTS - 1, CHILDREN - 1), false);

        clients.forEach(ZkClients::closeQuietly);
        clients.clear();
        server.close();
        server = null;
        long stopped = System.nanoTime();
        List<String> snapshotNames = snapshotFiles(snapshots);

        start();
        long restarted = System.nanoTime();
        ZooKeeper zk = connect();
        assertThat(zk.getAllChildrenNumber("/")).as("nodes after the restart").isEqualTo(expected);
        assertThat(zk.getAllChildrenNumber("/m")).isEqualTo(PARENTS * CHILDREN + PARENTS);
        assertThat(Durability.mntr(port, "zk_znode_count")).isEqualTo(znodeCount);
        assertThat(zk.exists(child(PARENTS - 1, CHILDREN - 1), false)).isEqualTo(lastBefore);
        Random random = new Random(7);
        for (int i = 0; i < SAMPLES; i++) {
            int p = i == 0 ? 0 : random.nextInt(PARENTS);
            int c = i == 0 ? 0 : random.nextInt(CHILDREN);
            Stat stat = new Stat();
            assertThat(zk.getData(child(p, c), false, stat)).as(child(p, c)).isEqualTo(data(p, c));
            assertThat(stat.getDataLength()).isEqualTo(DATA_SIZE);
        }
        assertThat(zk.getChildren(parent(random.nextInt(PARENTS)), false)).hasSize(CHILDREN);
        long verified = System.nanoTime();
        System.out.printf("MillionNodesRestartTest: create %d ms, stop %d ms, restart (recovery) %d ms, verify %d ms, "
                        + "total %d ms; snapshots %s; heap max %d MB%n",
                ms(created - t0), ms(stopped - created), ms(restarted - stopped), ms(verified - restarted),
                ms(verified - t0), snapshotNames, Runtime.getRuntime().maxMemory() >> 20);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static List<String> snapshotFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("snapshot\\.[0-9a-f]{16}")).sorted()
                    .toList();
        }
    }
}
