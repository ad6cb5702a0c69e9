package io.corral.server.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Many sessions writing at once: sequential names stay gap-free and unique, versioned updates never get lost. */
public abstract class ConcurrencyContract extends AbstractCompatContract {

    private static final int CLIENTS = 8;
    private static final long TIMEOUT_S = 60;

    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(CLIENTS);
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void concurrentSequentialCreatesGetGapFreeUniqueSuffixes() throws Exception {
        int perClient = 500;
        int total = CLIENTS * perClient;
        List<ZooKeeper> zks = connectAll();
        zks.get(0).create("/seq", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        Queue<String> created = new ConcurrentLinkedQueue<>();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(total);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> submitters = new ArrayList<>();
        for (ZooKeeper zk : zks) {
            submitters.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perClient; i++) {
                    zk.create("/seq/n-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL,
                            (rc, path, ctx, name) -> {
                                if (rc == KeeperException.Code.OK.intValue()) {
                                    created.add(name);
                                } else {
                                    failures.add(KeeperException.Code.get(rc) + " for " + path);
                                }
                                done.countDown();
                            }, null);
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : submitters) {
            f.get(TIMEOUT_S, TimeUnit.SECONDS);
        }
        assertThat(done.await(TIMEOUT_S, TimeUnit.SECONDS)).as("all creates answered").isTrue();
        assertThat(failures).isEmpty();

        assertThat(created).hasSize(total).doesNotHaveDuplicates();
        Set<Integer> suffixes = new HashSet<>();
        for (String name : created) {
            assertThat(name).matches("/seq/n-\\d{10}");
            suffixes.add(Integer.parseInt(name.substring("/seq/n-".length())));
        }
        Set<Integer> expected = IntStream.range(0, total).boxed().collect(Collectors.toSet());
        assertThat(suffixes).isEqualTo(expected);

        List<String> children = zks.get(1).getChildren("/seq", false);
        assertThat(children).hasSize(total);
        assertThat(children.stream().map(c -> "/seq/" + c).collect(Collectors.toSet()))
                .isEqualTo(new HashSet<>(created));
        Stat parent = zks.get(2).exists("/seq", false);
        assertThat(parent.getNumChildren()).isEqualTo(total);
        assertThat(parent.getCversion()).isEqualTo(total);
    }

    @Test
    void concurrentVersionedIncrementsLoseNoUpdate() throws Exception {
        int perClient = 100;
        List<ZooKeeper> zks = connectAll();
        zks.get(0).create("/counter", "0".getBytes(StandardCharsets.UTF_8), Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT);

        AtomicInteger conflicts = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> workers = new ArrayList<>();
        for (ZooKeeper zk : zks) {
            workers.add(pool.submit(() -> {
                go.await();
                int succeeded = 0;
                while (succeeded < perClient) {
                    Stat stat = new Stat();
                    int value = Integer.parseInt(new String(zk.getData("/counter", false, stat),
                            StandardCharsets.UTF_8));
                    try {
                        Stat after = zk.setData("/counter",
                                Integer.toString(value + 1).getBytes(StandardCharsets.UTF_8), stat.getVersion());
                        assertThat(after.getVersion()).isEqualTo(stat.getVersion() + 1);
                        succeeded++;
                    } catch (KeeperException.BadVersionException e) {
                        conflicts.incrementAndGet();
                    }
                }
                return succeeded;
            }));
        }
        go.countDown();
        int total = 0;
        for (Future<Integer> f : workers) {
            total += f.get(TIMEOUT_S, TimeUnit.SECONDS);
        }
        assertThat(total).isEqualTo(CLIENTS * perClient);

        Stat stat = new Stat();
        byte[] data = zks.get(3).getData("/counter", false, stat);
        assertThat(new String(data, StandardCharsets.UTF_8)).isEqualTo(Integer.toString(CLIENTS * perClient));
        assertThat(stat.getVersion()).isEqualTo(CLIENTS * perClient);
    }

    private List<ZooKeeper> connectAll() {
        List<ZooKeeper> zks = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            zks.add(connect());
        }
        return zks;
    }
}
