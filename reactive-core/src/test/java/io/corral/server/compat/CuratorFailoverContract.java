package io.corral.server.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.corral.client.TestEnsemble;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The official ZooKeeper client and Curator's recipes on a three-server ensemble whose leader is stopped (every
 * server then drops its clients while a new leader is elected) and later restarted: a session keeps its ephemeral
 * node and its watches; an InterProcessMutex held across the failover stays held and passes on when released; a
 * LeaderLatch whose client loses its only server (and so its session) hands leadership over, with never two
 * leaders; a CuratorCache sees every change made before, during and after the failover and ends equal to the tree.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class CuratorFailoverContract {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Sessions that must outlive the failover. */
    private static final int LONG_SESSION_MS = 15_000;
    /** The latch whose server goes: short, so that its session expires (and its node goes) within the test. */
    private static final int SHORT_SESSION_MS = 3_000;

    private TestEnsemble ensemble;
    private final CuratorClients opened = new CuratorClients(WAIT);
    private ExecutorService pool;
    /** The member a test stopped (restarted after it), or -1. */
    private int stopped = -1;

    /** Starts a {@code size}-member ensemble and returns once it serves. */
    protected abstract TestEnsemble startEnsemble(int size);

    @BeforeAll
    void startTheEnsemble() {
        ensemble = startEnsemble(3);
    }

    @AfterAll
    void stopTheEnsemble() {
        if (ensemble != null) {
            ensemble.close();
        }
    }

    @BeforeEach
    void startPool() {
        pool = Executors.newCachedThreadPool();
        ensemble.awaitServing();
    }

    @AfterEach
    void closeClientsAndRestartTheStoppedMember() {
        pool.shutdownNow();
        opened.closeAll();
        if (stopped >= 0) {
            ensemble.restart(stopped);
            stopped = -1;
            ensemble.awaitServing();
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    @Test
    void aZooKeeperSessionKeepsItsEphemeralAndItsWatchesAcrossALeaderFailover() throws Exception {
        int leader = ensemble.leader();
        List<Integer> followers = ensemble.followers();
        List<WatchedEvent> events = new CopyOnWriteArrayList<>();
        ZooKeeper zk = ZkClients.connect(ensemble.connectString(leader, followers.get(0), followers.get(1)),
                LONG_SESSION_MS, events::add);
        opened.track(() -> ZkClients.closeQuietly(zk));
        long session = zk.getSessionId();
        String root = "/zk-failover-" + System.nanoTime();
        zk.create(root, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/data", bytes("0"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/kids", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/eph", bytes("mine"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.getData(root + "/data", true, null);
        assertThat(zk.exists(root + "/later", true)).isNull();
        assertThat(zk.getChildren(root + "/kids", true)).isEmpty();

        stopLeader();
        // a new client can only connect once a new leader serves
        ZooKeeper writer = ZkClients.connect(ensemble.connectString(followers.get(0), followers.get(1)));
        opened.track(() -> ZkClients.closeQuietly(writer));
        writer.setData(root + "/data", bytes("1"), -1);
        writer.create(root + "/later", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        writer.create(root + "/kids/k", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        // made while the client was away: the server fires them from the client's last zxid on reconnect
        await().atMost(WAIT).until(() -> hasEvent(events, EventType.NodeDataChanged, root + "/data")
                && hasEvent(events, EventType.NodeCreated, root + "/later")
                && hasEvent(events, EventType.NodeChildrenChanged, root + "/kids"));
        List<KeeperState> states = events.stream().filter(e -> e.getType() == EventType.None)
                .map(WatchedEvent::getState).toList();
        assertThat(states).containsSubsequence(KeeperState.SyncConnected, KeeperState.Disconnected,
                KeeperState.SyncConnected).doesNotContain(KeeperState.Expired);
        assertThat(zk.getSessionId()).isEqualTo(session);
        assertThat(zk.exists(root + "/eph", false).getEphemeralOwner()).isEqualTo(session);
        assertThat(writer.exists(root + "/eph", false).getEphemeralOwner()).isEqualTo(session);
        assertThat(events.stream().filter(e -> e.getType() != EventType.None).count()).as("each watch once: %s", events)
                .isEqualTo(3);
    }

    @Test
    void anInterProcessMutexHeldAcrossALeaderFailoverStaysHeldThenPassesOn() throws Exception {
        int leader = ensemble.leader();
        List<Integer> followers = ensemble.followers();
        String path = "/mutex-failover-" + System.nanoTime();
        List<ConnectionState> holderStates = new CopyOnWriteArrayList<>();
        List<ConnectionState> contenderStates = new CopyOnWriteArrayList<>();
        CuratorFramework holderClient = curator(ensemble.connectString(leader, followers.get(0), followers.get(1)),
                LONG_SESSION_MS, holderStates);
        CuratorFramework contenderClient = curator(ensemble.connectString(followers.get(0), followers.get(1)),
                LONG_SESSION_MS, contenderStates);
        long holderSession = holderClient.getZookeeperClient().getZooKeeper().getSessionId();

        InterProcessMutex held = new InterProcessMutex(holderClient, path);
        InterProcessMutex wanted = new InterProcessMutex(contenderClient, path);
        assertThat(held.acquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        CountDownLatch acquired = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        Future<Boolean> contender = pool.submit(() -> {
            boolean ok = wanted.acquire(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
            acquired.countDown();
            letGo.await();
            if (ok) {
                wanted.release();
            }
            return ok;
        });
        await().atMost(WAIT).until(() -> held.getParticipantNodes().size() == 2);
        String holderNode = held.getParticipantNodes().iterator().next();

        stopLeader();
        await().atMost(WAIT).until(() -> holderStates.contains(ConnectionState.RECONNECTED)
                && contenderStates.contains(ConnectionState.RECONNECTED));
        assertThat(holderStates).containsSubsequence(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED)
                .doesNotContain(ConnectionState.LOST);
        assertThat(contenderStates).doesNotContain(ConnectionState.LOST);

        // the lock node outlived the failover with the holder's session; the contender still queues behind it
        assertThat(contenderClient.checkExists().forPath(holderNode).getEphemeralOwner()).isEqualTo(holderSession);
        assertThat(wanted.getParticipantNodes()).hasSize(2).first().isEqualTo(holderNode);
        assertThat(acquired.getCount()).as("the contender acquired a held lock").isEqualTo(1);
        assertThat(held.isOwnedByCurrentThread()).isTrue();

        held.release();
        assertThat(acquired.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("contender acquired").isTrue();
        assertThat(wanted.isAcquiredInThisProcess()).isTrue();
        assertThat(held.acquire(200, TimeUnit.MILLISECONDS)).as("the first holder is locked out now").isFalse();
        letGo.countDown();
        assertThat(contender.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        await().atMost(WAIT).until(() -> held.getParticipantNodes().isEmpty());
    }

    @Test
    void interProcessMutexKeepsMutualExclusionUnderContentionThroughTwoLeaderFailovers() throws Exception {
        int workers = 3;
        String path = "/contended-failover-" + System.nanoTime();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger entries = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        List<Future<Integer>> running = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int[] order = {w % 3, (w + 1) % 3, (w + 2) % 3}; // each client starts on a different server
            InterProcessMutex mutex = new InterProcessMutex(curator(ensemble.connectString(order), LONG_SESSION_MS,
                    new CopyOnWriteArrayList<>()), path);
            running.add(pool.submit(() -> {
                int rounds = 0;
                while (!done.get()) {
                    assertThat(mutex.acquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("acquired").isTrue();
                    try {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        entries.incrementAndGet();
                        rounds++;
                        inside.decrementAndGet();
                    } finally {
                        mutex.release();
                    }
                }
                return rounds;
            }));
        }
        for (int failover = 1; failover <= 2; failover++) {
            int progress = entries.get() + 10;
            await().atMost(WAIT).until(() -> entries.get() >= progress || running.stream().anyMatch(Future::isDone));
            stopLeader();
            int afterStop = entries.get() + 10;
            await().atMost(WAIT).until(() -> entries.get() >= afterStop || running.stream().anyMatch(Future::isDone));
            ensemble.restart(stopped);
            stopped = -1;
            ensemble.awaitServing();
        }
        done.set(true);
        int total = 0;
        for (Future<Integer> f : running) {
            int rounds = f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS); // rethrows a worker's failure
            assertThat(rounds).as("every client got the lock").isPositive();
            total += rounds;
        }
        assertThat(maxInside.get()).as("holders at once").isEqualTo(1);
        assertThat(total).isEqualTo(entries.get()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void leadershipMovesWhenTheLeadingLatchLosesItsServerAndThereIsNeverMoreThanOneLeader() throws Exception {
        int leader = ensemble.leader();
        List<Integer> followers = ensemble.followers();
        String path = "/latch-failover-" + System.nanoTime();
        List<ConnectionState> aStates = new CopyOnWriteArrayList<>();
        // "a" reaches only the server about to stop: its connection goes, then its session
        CuratorFramework a = curator(ensemble.connectString(leader), SHORT_SESSION_MS, aStates);
        CuratorFramework b = curator(ensemble.connectString(followers.get(0), followers.get(1)), LONG_SESSION_MS,
                new CopyOnWriteArrayList<>());
        CuratorFramework c = curator(ensemble.connectString(followers.get(1), followers.get(0)), LONG_SESSION_MS,
                new CopyOnWriteArrayList<>());
        LeadershipLog log = new LeadershipLog();

        LeaderLatch la = opened.track(new LeaderLatch(a, path, "a"));
        la.addListener(log.listener("a"));
        la.start();
        assertThat(la.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        LeaderLatch lb = opened.track(new LeaderLatch(b, path, "b"));
        lb.addListener(log.listener("b"));
        lb.start();
        LeaderLatch lc = opened.track(new LeaderLatch(c, path, "c"));
        lc.addListener(log.listener("c"));
        lc.start();
        await().atMost(WAIT).until(() -> la.getParticipants().size() == 3);
        assertThat(lb.getLeader().getId()).isEqualTo("a");
        assertThat(lb.hasLeadership() || lc.hasLeadership()).isFalse();

        stopLeader();
        await().atMost(WAIT).until(() -> lb.hasLeadership() || lc.hasLeadership());
        assertThat(la.hasLeadership()).isFalse();
        assertThat(aStates).contains(ConnectionState.SUSPENDED);
        LeaderLatch now = lb.hasLeadership() ? lb : lc;
        LeaderLatch other = now == lb ? lc : lb;
        assertThat(other.getLeader().getId()).isEqualTo(now.getId());

        // the stopped server comes back: "a" returns with a new session, as a contender behind the new leader
        ensemble.restart(stopped);
        stopped = -1;
        ensemble.awaitServing();
        await().atMost(WAIT).until(() -> aStates.contains(ConnectionState.LOST)
                && aStates.lastIndexOf(ConnectionState.RECONNECTED) > aStates.indexOf(ConnectionState.LOST));
        await().atMost(WAIT).until(() -> la.getParticipants().size() == 3);
        assertThat(la.getLeader().getId()).isEqualTo(now.getId());
        assertThat(now.hasLeadership()).isTrue();
        assertThat(la.hasLeadership() || other.hasLeadership()).isFalse();

        assertThat(log.maxLeaders()).as("leaders at once, in %s", log.history()).isEqualTo(1);
        assertThat(log.history()).containsSubsequence("a+", "a-", now.getId() + "+");
    }

    @Test
    void aCuratorCacheSeesEveryChangeAcrossALeaderFailoverAndConvergesToTheTree() throws Exception {
        int leader = ensemble.leader();
        List<Integer> followers = ensemble.followers();
        String root = "/cache-failover-" + System.nanoTime();
        List<ConnectionState> readerStates = new CopyOnWriteArrayList<>();
        CuratorFramework writer = curator(ensemble.connectString(followers.get(0), followers.get(1), leader),
                LONG_SESSION_MS, new CopyOnWriteArrayList<>());
        CuratorFramework reader = curator(ensemble.connectString(leader, followers.get(0), followers.get(1)),
                LONG_SESSION_MS, readerStates);
        for (String node : List.of("", "/a", "/b", "/b/x", "/c")) {
            writer.create().forPath(root + node, bytes("1"));
        }

        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch initialized = new CountDownLatch(1);
        CuratorCache cache = opened.track(CuratorCache.build(reader, root));
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreates(node -> events.add("created " + node.getPath() + "=" + text(node.getData())))
                .forChanges((old, node) -> events.add("changed " + node.getPath() + "=" + text(node.getData())))
                .forDeletes(old -> events.add("deleted " + old.getPath()))
                .forInitialized(initialized::countDown)
                .build());
        cache.start();
        assertThat(initialized.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(events).containsExactlyInAnyOrder("created " + root + "=1", "created " + root + "/a=1",
                "created " + root + "/b=1", "created " + root + "/b/x=1", "created " + root + "/c=1");

        // before the failover
        writer.setData().forPath(root + "/a", bytes("2"));
        writer.create().forPath(root + "/d", bytes("1"));
        writer.delete().forPath(root + "/c");
        List<String> before = List.of("changed " + root + "/a=2", "created " + root + "/d=1", "deleted " + root + "/c");
        await().atMost(WAIT).until(() -> events.containsAll(before));

        // during it (retried until a new leader serves), while the reader may still be away
        stopLeader();
        writer.setData().forPath(root + "/b", bytes("2"));
        createIdempotently(writer, root + "/e", bytes("1"));
        createIdempotently(writer, root + "/b/y", bytes("1"));
        writer.delete().quietly().forPath(root + "/d");
        writer.setData().forPath(root + "/b/x", bytes("2"));
        List<String> during = List.of("changed " + root + "/b=2", "created " + root + "/e=1",
                "created " + root + "/b/y=1", "deleted " + root + "/d", "changed " + root + "/b/x=2");
        await().atMost(WAIT).until(() -> events.containsAll(during));
        assertThat(readerStates).containsSubsequence(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED);

        // after it, with the old leader back as a follower
        ensemble.restart(stopped);
        stopped = -1;
        ensemble.awaitServing();
        writer.setData().forPath(root + "/e", bytes("2"));
        createIdempotently(writer, root + "/f", bytes("1"));
        writer.delete().forPath(root + "/a");
        List<String> after = List.of("changed " + root + "/e=2", "created " + root + "/f=1", "deleted " + root + "/a");
        await().atMost(WAIT).until(() -> events.containsAll(after));

        Map<String, String> tree = readTree(writer, root);
        await().atMost(WAIT).until(() -> cached(cache).equals(tree));
        assertThat(tree).containsOnlyKeys(root, root + "/b", root + "/b/x", root + "/b/y", root + "/e", root + "/f");
    }

    // ------------------------------------------------------------------------------------------------------------

    /** Records leadership changes across latches: how many lead at once, and in what order they came and went. */
    private static final class LeadershipLog {
        private final AtomicInteger leading = new AtomicInteger();
        private final AtomicInteger max = new AtomicInteger();
        private final List<String> history = new CopyOnWriteArrayList<>();

        LeaderLatchListener listener(String id) {
            return new LeaderLatchListener() {
                @Override
                public void isLeader() {
                    history.add(id + "+");
                    max.accumulateAndGet(leading.incrementAndGet(), Math::max);
                }

                @Override
                public void notLeader() {
                    history.add(id + "-");
                    leading.decrementAndGet();
                }
            };
        }

        int maxLeaders() {
            return max.get();
        }

        List<String> history() {
            return List.copyOf(history);
        }
    }

    private void stopLeader() {
        int leader = ensemble.leader();
        ensemble.stop(leader);
        stopped = leader;
    }

    private CuratorFramework curator(String connectString, int sessionTimeoutMs, List<ConnectionState> states)
            throws InterruptedException {
        return opened.connect(connectString, sessionTimeoutMs, Math.min(5_000, sessionTimeoutMs),
                new RetryNTimes(30, 200), (c, state) -> states.add(state)); // the retries outlast an election
    }

    /** A create retried after CONNECTIONLOSS may find its own node: that counts as done. */
    private static void createIdempotently(CuratorFramework client, String path, byte[] data) throws Exception {
        try {
            client.create().forPath(path, data);
        } catch (KeeperException.NodeExistsException alreadyDone) {
            assertThat(client.getData().forPath(path)).isEqualTo(data);
        }
    }

    private static Map<String, String> readTree(CuratorFramework client, String path) throws Exception {
        Map<String, String> out = new TreeMap<>();
        out.put(path, text(client.getData().forPath(path)));
        for (String child : client.getChildren().forPath(path)) {
            out.putAll(readTree(client, path + "/" + child));
        }
        return out;
    }

    private static Map<String, String> cached(CuratorCache cache) {
        Map<String, String> out = new TreeMap<>();
        cache.stream().forEach((ChildData d) -> out.put(d.getPath(), text(d.getData())));
        return out;
    }

    private static boolean hasEvent(List<WatchedEvent> events, EventType type, String path) {
        return events.stream().anyMatch(e -> e.getType() == type && path.equals(e.getPath()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
