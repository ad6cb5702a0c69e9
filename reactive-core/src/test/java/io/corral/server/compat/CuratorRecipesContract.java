package io.corral.server.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.barriers.DistributedBarrier;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.shared.SharedCount;
import org.apache.curator.framework.recipes.shared.SharedCountListener;
import org.apache.curator.framework.recipes.shared.SharedCountReader;
import org.apache.curator.framework.recipes.shared.VersionedValue;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Apache Curator recipes, each driven by two clients (two "processes") against the server under test. */
public abstract class CuratorRecipesContract extends AbstractCompatContract {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How long an absence (no acquisition, no event) is observed before it is accepted. */
    private static final long QUIET_MS = 250;

    private final CuratorClients opened = new CuratorClients(WAIT);
    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void closeResources() {
        pool.shutdownNow();
        opened.closeAll();
    }

    // ------------------------------------------------------------------------------------------------------------

    @Test
    void mutexIsReentrantExcludesTheOtherClientAndHandsOverOnFinalRelease() throws Exception {
        InterProcessMutex m1 = new InterProcessMutex(client(), "/recipes/mutex");
        InterProcessMutex m2 = new InterProcessMutex(client(), "/recipes/mutex");

        assertThat(m1.acquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(m1.acquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("reentrant").isTrue();
        assertThat(m1.getParticipantNodes()).hasSize(1);

        assertThat(m2.acquire(QUIET_MS, TimeUnit.MILLISECONDS)).as("acquire with timeout while held").isFalse();
        assertThat(m2.isAcquiredInThisProcess()).isFalse();
        assertThat(m1.getParticipantNodes()).as("the timed-out attempt cleaned up").hasSize(1);

        CountDownLatch acquired = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        Future<Boolean> other = pool.submit(() -> {
            boolean ok = m2.acquire(30, TimeUnit.SECONDS);
            acquired.countDown();
            letGo.await();
            if (ok) {
                m2.release();
            }
            return ok;
        });
        await().atMost(WAIT).until(() -> m1.getParticipantNodes().size() == 2);

        m1.release();
        assertThat(m1.isOwnedByCurrentThread()).as("still held once").isTrue();
        assertThat(acquired.await(QUIET_MS, TimeUnit.MILLISECONDS)).as("other acquired too early").isFalse();

        m1.release();
        assertThat(m1.isAcquiredInThisProcess()).isFalse();
        assertThat(acquired.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("other acquired").isTrue();
        assertThat(m2.isAcquiredInThisProcess()).isTrue();
        assertThat(m1.acquire(QUIET_MS, TimeUnit.MILLISECONDS)).as("first client locked out now").isFalse();

        letGo.countDown();
        assertThat(other.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        await().atMost(WAIT).until(() -> m1.getParticipantNodes().isEmpty());
    }

    @Test
    void mutexGivesMutualExclusionUnderContention() throws Exception {
        int clients = 3;
        int rounds = 15;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger entries = new AtomicInteger();
        List<Future<Void>> workers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < clients; i++) {
            InterProcessMutex mutex = new InterProcessMutex(client(), "/recipes/contended");
            workers.add(pool.submit(() -> {
                go.await();
                for (int r = 0; r < rounds; r++) {
                    assertThat(mutex.acquire(30, TimeUnit.SECONDS)).isTrue();
                    try {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        entries.incrementAndGet();
                        inside.decrementAndGet();
                    } finally {
                        mutex.release();
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<Void> f : workers) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(maxInside.get()).isEqualTo(1);
        assertThat(entries.get()).isEqualTo(clients * rounds);
    }

    // ------------------------------------------------------------------------------------------------------------

    @Test
    void leaderLatchElectsExactlyOneAndHandsOverWhenTheLeaderCloses() throws Exception {
        LeaderLatch one = opened.track(new LeaderLatch(client(), "/recipes/leader", "one"));
        LeaderLatch two = opened.track(new LeaderLatch(client(), "/recipes/leader", "two"));
        CountDownLatch twoLeads = new CountDownLatch(1);
        CountDownLatch oneLeads = new CountDownLatch(1);
        one.addListener(listenerCountingDown(oneLeads));
        two.addListener(listenerCountingDown(twoLeads));
        one.start();
        two.start();

        await().atMost(WAIT).until(() -> one.getParticipants().size() == 2
                && (one.hasLeadership() || two.hasLeadership()));
        assertThat(one.hasLeadership() ^ two.hasLeadership()).as("exactly one leader").isTrue();
        LeaderLatch leader = one.hasLeadership() ? one : two;
        LeaderLatch follower = leader == one ? two : one;
        CountDownLatch followerLeads = follower == one ? oneLeads : twoLeads;
        assertThat(one.getLeader().getId()).isEqualTo(leader.getId());
        assertThat(two.getLeader().getId()).isEqualTo(leader.getId());
        assertThat(follower.await(QUIET_MS, TimeUnit.MILLISECONDS)).isFalse();

        leader.close();
        assertThat(followerLeads.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("isLeader callback").isTrue();
        assertThat(follower.hasLeadership()).isTrue();
        assertThat(follower.getLeader().getId()).isEqualTo(follower.getId());
        await().atMost(WAIT).until(() -> follower.getParticipants().size() == 1);
    }

    private static LeaderLatchListener listenerCountingDown(CountDownLatch latch) {
        return new LeaderLatchListener() {
            @Override
            public void isLeader() {
                latch.countDown();
            }

            @Override
            public void notLeader() {
            }
        };
    }

    // ------------------------------------------------------------------------------------------------------------

    @Test
    void curatorCacheBuildsInitiallyThenSeesCreatesChangesAndDeletes() throws Exception {
        CuratorFramework writer = client();
        writer.create().creatingParentsIfNeeded().forPath("/recipes/cache", bytes("root"));
        writer.create().forPath("/recipes/cache/pre", bytes("p"));

        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        CountDownLatch initialized = new CountDownLatch(1);
        CuratorCache cache = opened.track(CuratorCache.build(client(), "/recipes/cache"));
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, oldData, data) -> events.add(type + " " + describe(oldData) + " -> " + describe(data)))
                .forInitialized(initialized::countDown)
                .build());
        cache.start();

        assertThat(initialized.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("initialized").isTrue();
        Set<String> initial = new HashSet<>();
        events.drainTo(initial);
        assertThat(initial).containsExactlyInAnyOrder(
                "NODE_CREATED - -> /recipes/cache=root",
                "NODE_CREATED - -> /recipes/cache/pre=p");

        writer.create().forPath("/recipes/cache/x", bytes("1"));
        assertThat(events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo("NODE_CREATED - -> /recipes/cache/x=1");
        writer.setData().forPath("/recipes/cache/x", bytes("2"));
        assertThat(events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo("NODE_CHANGED /recipes/cache/x=1 -> /recipes/cache/x=2");
        writer.create().forPath("/recipes/cache/pre/deep", bytes("d"));
        assertThat(events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo("NODE_CREATED - -> /recipes/cache/pre/deep=d");
        writer.delete().forPath("/recipes/cache/x");
        assertThat(events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo("NODE_DELETED /recipes/cache/x=2 -> -");

        assertThat(cache.get("/recipes/cache/x")).isEmpty();
        assertThat(cache.get("/recipes/cache/pre/deep").map(d -> new String(d.getData(), StandardCharsets.UTF_8)))
                .contains("d");
        assertThat(cache.size()).isEqualTo(3);
        assertThat(events.poll(QUIET_MS, TimeUnit.MILLISECONDS)).as("no further events").isNull();
    }

    private static String describe(ChildData data) {
        if (data == null) {
            return "-";
        }
        return data.getPath() + "=" + (data.getData() == null ? "null" : new String(data.getData(),
                StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------------------------------------------------

    @Test
    void distributedBarrierBlocksUntilRemoved() throws Exception {
        DistributedBarrier controller = new DistributedBarrier(client(), "/recipes/barrier");
        DistributedBarrier waiterSide = new DistributedBarrier(client(), "/recipes/barrier");
        controller.setBarrier();

        assertThat(waiterSide.waitOnBarrier(QUIET_MS, TimeUnit.MILLISECONDS)).as("times out while set").isFalse();

        CompletableFuture<Boolean> released = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                released.complete(waiterSide.waitOnBarrier(30, TimeUnit.SECONDS));
            } catch (Throwable t) {
                released.completeExceptionally(t);
            }
        }, "barrier-waiter");
        waiter.setDaemon(true);
        waiter.start();
        await().atMost(WAIT).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
        assertThat(released).isNotDone();

        controller.removeBarrier();
        assertThat(released.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("released").isTrue();
        assertThat(waiterSide.waitOnBarrier(QUIET_MS, TimeUnit.MILLISECONDS)).as("no barrier, no wait").isTrue();
    }

    // ------------------------------------------------------------------------------------------------------------

    @Test
    void sharedCountSetsByVersionRejectsStaleVersionsAndNotifiesListeners() throws Exception {
        SharedCount first = opened.track(new SharedCount(client(), "/recipes/count", 0));
        SharedCount second = opened.track(new SharedCount(client(), "/recipes/count", 0));
        Queue<Integer> seenByFirst = new ConcurrentLinkedQueue<>();
        Queue<Integer> seenBySecond = new ConcurrentLinkedQueue<>();
        first.addListener(recording(seenByFirst));
        second.addListener(recording(seenBySecond));
        first.start();
        second.start();

        VersionedValue<Integer> initial = first.getVersionedValue();
        assertThat(initial.getValue()).isZero();
        assertThat(first.trySetCount(initial, 5)).isTrue();
        await().atMost(WAIT).until(() -> seenBySecond.contains(5));
        assertThat(second.getCount()).isEqualTo(5);

        assertThat(first.trySetCount(initial, 7)).as("stale version").isFalse();
        assertThat(first.getCount()).isEqualTo(5);

        VersionedValue<Integer> current = second.getVersionedValue();
        assertThat(current.getValue()).isEqualTo(5);
        assertThat(current.getVersion()).isEqualTo(initial.getVersion() + 1);
        assertThat(second.trySetCount(current, 9)).isTrue();
        await().atMost(WAIT).until(() -> seenByFirst.contains(9));
        assertThat(first.getCount()).isEqualTo(9);
        assertThat(seenByFirst).doesNotContain(7);
        assertThat(seenBySecond).doesNotContain(7);
        assertThat(client().getData().forPath("/recipes/count")).isEqualTo(new byte[] {0, 0, 0, 9});
    }

    private static SharedCountListener recording(Queue<Integer> seen) {
        return new SharedCountListener() {
            @Override
            public void countHasChanged(SharedCountReader sharedCount, int newCount) {
                seen.add(newCount);
            }

            @Override
            public void stateChanged(CuratorFramework client, ConnectionState newState) {
            }
        };
    }

    // ------------------------------------------------------------------------------------------------------------

    private CuratorFramework client() throws InterruptedException {
        return opened.connect(server.connectString(), 10_000, 3_000, new RetryNTimes(3, 100), null);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
