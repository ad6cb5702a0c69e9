package io.corral.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.server.compat.CompatHarness;
import io.corral.server.compat.ZkClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.FourLetterWordMain;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A follower that caught up through its leader's (fuzzy) snapshot logs the tree's digest again from the commit point
 * its leader gave it: {@code hash} on it lists, for a later zxid, the digest the leader lists.
 */
class LearnerDigestTest {
    private static final Duration SERVING = Duration.ofSeconds(60);

    private final Path dir = CompatHarness.newTempDir("corral-learner-digest-");
    private InProcessEnsemble ensemble;

    @AfterEach
    void stop() {
        if (ensemble != null) {
            ensemble.close();
        }
        CompatHarness.deleteRecursively(dir);
    }

    @Test
    void aFollowerSynchronisedByASnapshotHashesAsItsLeader() throws Exception {
        ensemble = new InProcessEnsemble(dir, 3, 0, Map.of("learnerDiffLimit", "5"));
        ensemble.startAll();
        long leader = ensemble.awaitServing(SERVING);
        long behind = ensemble.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
        ZooKeeper zk = ZkClients.connect(ensemble.connectString(leader));
        long last;
        try {
            ensemble.stop(behind);
            for (int i = 0; i < 50; i++) {
                zk.create("/missed-" + i, new byte[] {(byte) i}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            ensemble.start(behind); // more than learnerDiffLimit behind: it gets a snapshot
            ensemble.awaitServing(SERVING);
            Stat stat = new Stat();
            for (int i = 0; ; i++) {
                zk.create("/after-" + i, new byte[] {(byte) i}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                        stat);
                if (stat.getCzxid() % 128 == 0) {
                    last = stat.getCzxid();
                    break;
                }
            }
        } finally {
            ZkClients.closeQuietly(zk);
        }
        ZooKeeper onBehind = ZkClients.connect(ensemble.connectString(behind));
        try {
            CompletableFuture<Void> synced = new CompletableFuture<>();
            onBehind.sync("/", (rc, path, ctx) -> synced.complete(null), null);
            synced.get(30, TimeUnit.SECONDS);
        } finally {
            ZkClients.closeQuietly(onBehind);
        }
        String line = Long.toHexString(last) + ": ";
        String ofLeader = hashLine(leader, line);
        assertThat(ofLeader).as("the leader's hash").isNotNull();
        assertThat(hashLine(behind, line)).as("the resynchronised follower's hash").isEqualTo(ofLeader);
    }

    private String hashLine(long id, String prefix) throws Exception {
        String[] hostPort = ensemble.connectString(id).split(":");
        String answer = FourLetterWordMain.send4LetterWord(hostPort[0], Integer.parseInt(hostPort[1]), "hash", false,
                10_000);
        return answer.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
    }
}
