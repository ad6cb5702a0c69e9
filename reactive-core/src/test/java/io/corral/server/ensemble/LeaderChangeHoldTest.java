package io.corral.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.corral.server.compat.ZkClients;

/**
 * A follower that loses its leader holds its clients' connections until it serves under the next leader
 * ({@code clientHoldDuringElectionMs}): a client of the official ZooKeeper library connected to a follower sees no
 * disconnection when the leader is killed, and its write sent meanwhile is answered once, in order. With the hold off,
 * the follower closes its connections as Apache ZooKeeper does.
 */
class LeaderChangeHoldTest {
    private static final Duration WHOLE_RUN = Duration.ofSeconds(150);
    private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @RegisterExtension
    final ProcessClusters clusters = new ProcessClusters();

    @Test
    void aFollowersClientKeepsItsConnectionAndItsWritesAcrossALeaderKill() {
        assertTimeoutPreemptively(WHOLE_RUN, () -> {
            ProcessCluster cluster = cluster("10000"); // generous: a loaded machine elects slowly
            int leader = cluster.awaitLeader();
            int follower = cluster.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
            List<KeeperState> states = new CopyOnWriteArrayList<>();
            ZooKeeper zk = ZkClients.connect(cluster.connectString(follower), 20_000, e -> states.add(e.getState()));
            try {
                zk.create("/held", bytes("0"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                states.clear();

                cluster.kill9(leader);
                // sent while the ensemble has no leader: it waits on the follower (or was passed to the dead leader,
                // and goes to the next one if that one's history does not have it)
                CompletableFuture<Stat> first = setData(zk, "/held", "1", 0);
                CompletableFuture<Stat> second = setData(zk, "/held", "2", 1);

                assertThat(first.get(ANSWERED_WITHIN.toMillis(), TimeUnit.MILLISECONDS).getVersion()).isEqualTo(1);
                assertThat(second.get(ANSWERED_WITHIN.toMillis(), TimeUnit.MILLISECONDS).getVersion()).isEqualTo(2);
                assertThat(new String(zk.getData("/held", false, null), StandardCharsets.UTF_8)).isEqualTo("2");
                assertThat(states).as("connection states the client saw").doesNotContain(KeeperState.Disconnected);
                assertThat(cluster.awaitLeader(ANSWERED_WITHIN)).isNotEqualTo(leader);
            } finally {
                zk.close();
            }
        });
    }

    @Test
    void withTheHoldOffAFollowerClosesItsConnectionsAsZooKeeperDoes() {
        assertTimeoutPreemptively(WHOLE_RUN, () -> {
            ProcessCluster cluster = cluster("0");
            int leader = cluster.awaitLeader();
            int follower = cluster.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
            CompletableFuture<Void> disconnected = new CompletableFuture<>();
            ZooKeeper zk = ZkClients.connect(cluster.connectString(follower), 20_000, e -> {
                if (e.getState() == KeeperState.Disconnected) {
                    disconnected.complete(null);
                }
            });
            try {
                cluster.kill9(leader);
                disconnected.get(ANSWERED_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                zk.close();
            }
        });
    }

    private ProcessCluster cluster(String holdMs) {
        return clusters.track(ProcessCluster.builder(dir).participants(3).config("tickTime", "2000")
                .config("initLimit", "10").config("syncLimit", "5").config("clientHoldDuringElectionMs", holdMs)
                .build()).start();
    }

    private static CompletableFuture<Stat> setData(ZooKeeper zk, String path, String value, int version) {
        CompletableFuture<Stat> done = new CompletableFuture<>();
        zk.setData(path, bytes(value), version, (rc, p, ctx, stat) -> {
            if (rc == KeeperException.Code.OK.intValue()) {
                done.complete(stat);
            } else {
                done.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc), p));
            }
        }, null);
        return done;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
