package io.corral.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.client.Change;
import io.corral.client.Children;
import io.corral.client.CorralClient;
import io.corral.client.KeeperErrorException;
import io.corral.client.WatchMode;
import io.corral.protocol.Acl;
import io.corral.protocol.CreateMode;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.Stat;
import io.corral.server.compat.CorralServers;
import io.corral.server.compat.ServerUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** Corral's resumable watch streams through the reactive client, on a standalone server. */
class ResumableStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private ServerUnderTest server;
    private CorralClient client;

    @BeforeEach
    void start() {
        server = CorralServers.start(Map.of());
        client = CorralClient.connect(server.connectString()).block(WAIT);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close().block(WAIT);
        }
        server.close();
    }

    private static String line(Change c) {
        return c.type().zooKeeperName() + " " + c.path() + (c.data() == null ? "" : " " + new String(c.data()))
                + (c.snapshot() ? " (snapshot)" : "");
    }

    @Test
    void historyFromAZxidHoldsEveryChangeOfTheSubtreeInZxidOrder() {
        long before = client.create("/other", new byte[0]).block(WAIT).stat().czxid();
        client.create("/app", CorralClient.utf8("a")).block(WAIT);
        client.create("/app/x", CorralClient.utf8("x0")).block(WAIT);
        client.setData("/app/x", CorralClient.utf8("x1")).block(WAIT);
        client.create("/elsewhere", new byte[0]).block(WAIT);
        client.delete("/app/x").block(WAIT);

        List<Change> changes = client.watch("/app", WatchMode.SUBTREE, before).take(6).collectList().block(WAIT);

        assertThat(changes).extracting(ResumableStreamTest::line).containsExactly(
                "NodeCreated /app a", // its parent's NodeChildrenChanged is about "/", outside the subtree
                "NodeCreated /app/x x0", "NodeChildrenChanged /app",
                "NodeDataChanged /app/x x1",
                "NodeDeleted /app/x", "NodeChildrenChanged /app");
        assertThat(changes).extracting(Change::zxid).isSorted();
        assertThat(changes.get(3).version()).isEqualTo(1);
    }

    @Test
    void aStreamFromNowCarriesOnLiveAndANodeStreamSeesOnlyItsNode() {
        client.create("/live-sibling", new byte[0]).block(WAIT);
        client.create("/live", new byte[0]).block(WAIT);
        StepVerifier.create(client.watch("/live", WatchMode.NODE, CorralClient.NOW).map(ResumableStreamTest::line)
                        .take(5))
                .then(() -> {
                    client.create("/live/child", new byte[0]).block(WAIT);
                    client.create("/live/child/grandchild", new byte[0]).block(WAIT);
                    client.delete("/live/child/grandchild").block(WAIT);
                    client.setData("/live-sibling", new byte[0]).block(WAIT);
                    client.setData("/live", CorralClient.utf8("v1")).block(WAIT);
                    client.setData("/live", CorralClient.utf8("v2")).block(WAIT);
                    client.delete("/live/child").block(WAIT);
                    client.delete("/live").block(WAIT);
                })
                .expectNext("NodeChildrenChanged /live", "NodeDataChanged /live v1", "NodeDataChanged /live v2",
                        "NodeChildrenChanged /live", "NodeDeleted /live")
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aMirrorOpensWithTheSubtreeAndGoesOnWithItsChanges() {
        client.create("/m", CorralClient.utf8("root")).block(WAIT);
        client.create("/m/b", CorralClient.utf8("b")).block(WAIT);
        client.create("/m/a", CorralClient.utf8("a")).block(WAIT);
        client.create("/m/a/deep", CorralClient.utf8("d")).block(WAIT);
        StepVerifier.create(client.mirror("/m").map(ResumableStreamTest::line).take(6))
                .expectNext("NodeCreated /m root (snapshot)", "NodeCreated /m/a a (snapshot)",
                        "NodeCreated /m/a/deep d (snapshot)", "NodeCreated /m/b b (snapshot)")
                .then(() -> client.setData("/m/b", CorralClient.utf8("b2")).block(WAIT))
                .expectNext("NodeDataChanged /m/b b2")
                .then(() -> client.setACL("/m/a", io.corral.protocol.Acl.OPEN_ACL_UNSAFE, -1).block(WAIT))
                .expectNext("NodeAclChanged /m/a")
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aFreshServersLogHoldsEverythingSoAStreamMayStartAtZero() {
        client.create("/r", new byte[0]).block(WAIT);
        assertThat(client.watch("/r", WatchMode.NODE, 0).blockFirst(WAIT).type()).isEqualTo(Change.Type.NODE_CREATED);
    }

    @Test
    void aStreamPausedByASlowSubscriberLosesNothing() {
        client.create("/slow", new byte[0]).block(WAIT);
        long start = client.exists("/slow").block(WAIT).czxid();
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            client.setData("/slow", CorralClient.utf8(Integer.toString(i))).subscribe();
        }
        client.sync("/slow").block(WAIT);
        List<Change> changes = client.watch("/slow", WatchMode.NODE, start)
                .delayElements(Duration.ofNanos(1), reactor.core.scheduler.Schedulers.single())
                .take(n).collectList().block(Duration.ofSeconds(120));
        assertThat(changes).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(new String(changes.get(i).data())).isEqualTo(Integer.toString(i));
        }
    }

    @Test
    void aMirrorsChangesCarryTheWholeNewStatAsAReadRightAfterReturnsIt() {
        client.create("/s", CorralClient.utf8("root")).block(WAIT);
        client.create("/s/keep", CorralClient.utf8("k")).block(WAIT);
        List<Change> mirrored = new CopyOnWriteArrayList<>();
        reactor.core.Disposable mirror = client.mirror("/s").subscribe(mirrored::add);
        try {
            await().atMost(WAIT).until(() -> mirrored.size() == 2);
            assertStatsAsRead(mirrored);
            List<Supplier<Object>> writes = List.of(
                    () -> client.create("/s/a", CorralClient.utf8("a"), CreateMode.EPHEMERAL).block(WAIT),
                    () -> client.setData("/s/a", CorralClient.utf8("a-longer")).block(WAIT),
                    () -> client.setACL("/s/a", Acl.OPEN_ACL_UNSAFE, 0).block(WAIT),
                    () -> client.create("/s/keep/b", new byte[3]).block(WAIT),
                    () -> client.delete("/s/keep/b").block(WAIT),
                    () -> client.create("/s/keep/c", new byte[0]).block(WAIT),
                    () -> client.transaction().setData("/s", CorralClient.utf8("r2"), -1)
                            .delete("/s/a", -1).commit().block(WAIT),
                    () -> client.setData("/s/keep", CorralClient.utf8("k2")).block(WAIT));
            int[] changesOf = {2, 1, 1, 2, 2, 2, 3, 1};
            int expected = mirrored.size();
            for (int i = 0; i < writes.size(); i++) {
                writes.get(i).get();
                int n = expected + changesOf[i];
                await().atMost(WAIT).until(() -> mirrored.size() >= n);
                assertThat(mirrored).hasSize(n);
                assertStatsAsRead(mirrored.subList(expected, n));
                expected = n;
            }
        } finally {
            mirror.dispose();
        }
    }

    @Test
    void aWatchsChangesCarryWhatTheTxnDeterminesOfTheStat() {
        long start = client.create("/w", CorralClient.utf8("w")).block(WAIT).stat().czxid();
        Stat set = client.setData("/w", CorralClient.utf8("w-1")).block(WAIT);
        Stat child = client.create("/w/c", new byte[0]).block(WAIT).stat();
        client.delete("/w/c").block(WAIT);
        List<Change> changes = client.watch("/w", WatchMode.SUBTREE, start).take(5).collectList().block(WAIT);
        Stat unknown = new Stat(-1, set.mzxid(), -1, set.mtime(), 1, -1, -1, -1, 3, -1, -1);
        assertThat(changes.get(0).stat()).isEqualTo(unknown);
        assertThat(changes.get(1).stat()).isEqualTo(child);
        assertThat(changes.get(2).stat().pzxid()).isEqualTo(child.czxid());
        assertThat(changes.get(2).stat().numChildren()).isEqualTo(-1);
        assertThat(changes.get(3).type()).isEqualTo(Change.Type.NODE_DELETED);
        assertThat(changes.get(3).stat()).isNull();
        assertThat(changes.get(4).stat().pzxid()).isEqualTo(changes.get(4).zxid());
    }

    /**
     * Every change but a deletion has the Stat a read returns now (nothing else writes meanwhile), unless a later
     * change of the same txn changed the node again.
     */
    private void assertStatsAsRead(List<Change> changes) {
        for (int i = 0; i < changes.size(); i++) {
            Change change = changes.get(i);
            boolean changedAgain = changes.subList(i + 1, changes.size()).stream()
                    .anyMatch(later -> later.zxid() == change.zxid() && later.path().equals(change.path()));
            if (changedAgain) {
                continue;
            }
            Stat read = client.exists(change.path()).block(WAIT);
            if (change.type() == Change.Type.NODE_DELETED) {
                assertThat(change.stat()).isNull();
            } else if (read != null) { // a node a later change of the same txn deleted has no Stat to compare
                assertThat(change.stat()).as("%s", line(change)).isEqualTo(read);
            }
        }
    }

    @Test
    void watchDataWithEveryValueReportsEachValueOfABurstWithItsWholeStat() {
        int n = 100;
        List<io.corral.client.NodeValue> values = client.watchData("/every", io.corral.client.ValueDelivery.EVERY)
                .doOnNext(v -> {
                    if (!v.exists()) { // the first value: the node is missing; a burst sent without waiting
                        client.create("/every", CorralClient.utf8("0")).subscribe();
                        client.create("/every/child", new byte[0]).subscribe();
                        for (int i = 1; i <= n; i++) {
                            client.setData("/every", CorralClient.utf8(Integer.toString(i))).subscribe();
                        }
                    }
                })
                .take(n + 2)
                .collectList().block(WAIT);
        assertThat(values.get(0).exists()).isFalse();
        for (int i = 0; i <= n; i++) {
            io.corral.client.NodeValue value = values.get(i + 1);
            assertThat(new String(value.data())).isEqualTo(Integer.toString(i));
            assertThat(value.version()).isEqualTo(i);
            assertThat(value.stat().numChildren()).isEqualTo(i == 0 ? 0 : 1);
        }
        assertThat(values.get(n + 1).stat()).isEqualTo(client.exists("/every").block(WAIT));
    }

    @Test
    void watchChildrenWithEveryValueReportsEachChildListOfABurst() {
        client.create("/kids", new byte[0]).block(WAIT);
        client.create("/kids/a", new byte[0]).block(WAIT);
        client.create("/kids/a/deep", new byte[0]).block(WAIT);
        List<Children> lists = client.watchChildren("/kids", io.corral.client.ValueDelivery.EVERY)
                .doOnNext(c -> {
                    if (c.names().size() == 1) {
                        client.create("/kids/b", new byte[0]).subscribe();
                        client.create("/kids/a/deeper", new byte[0]).subscribe(); // not a child: not reported
                        client.create("/kids/c", new byte[0]).subscribe();
                        client.delete("/kids/b").subscribe();
                    }
                })
                .take(4).collectList().block(WAIT);
        assertThat(lists).extracting(Children::names).containsExactly(List.of("a"), List.of("a", "b"),
                List.of("a", "b", "c"), List.of("a", "c"));
        assertThat(lists.get(3).stat()).isEqualTo(client.exists("/kids").block(WAIT));
    }

    @Test
    void watchChildrenWithEveryValueFallsBackToWatchesWhenTheSubtreeExceedsAFrame() {
        client.create("/big", new byte[0]).block(WAIT);
        client.create("/big/a", new byte[600_000]).block(WAIT);
        client.create("/big/b", new byte[600_000]).block(WAIT); // the subtree's snapshot: more than jute.maxbuffer
        StepVerifier.create(client.watchChildren("/big", io.corral.client.ValueDelivery.EVERY)
                        .map(c -> c.names().stream().sorted().toList()))
                .expectNext(List.of("a", "b"))
                .then(() -> client.create("/big/c", new byte[0]).block(WAIT))
                .expectNext(List.of("a", "b", "c"))
                .thenCancel()
                .verify(WAIT);
    }
}
