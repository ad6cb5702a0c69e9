package io.corral.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.corral.server.compat.ZkClients;
import io.corral.server.ensemble.ServerProcess.Role;

/**
 * The cluster harness on what Corral runs today, one standalone server in its own JVM: kill -9 and restart, pause
 * and resume, and a recorded register workload across a kill -9 whose history must be linearizable.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessClusterStandaloneTest {

    @RegisterExtension
    final ProcessClusters clusters = new ProcessClusters();

    @TempDir
    Path dir;

    private ProcessCluster startStandalone() {
        return clusters.track(ProcessCluster.builder(dir).standalone().build()).start();
    }

    @Test
    void dataSurvivesKillDashNineAndRestart() throws Exception {
        ProcessCluster cluster = startStandalone();
        assertThat(cluster.awaitLeader()).isEqualTo(1);
        assertThat(cluster.roles()).containsExactlyEntriesOf(java.util.Map.of(1, Role.STANDALONE));
        long firstPid = cluster.server(1).pid();
        try (ZooKeeper zk = ZkClients.connect(cluster.connectString())) {
            zk.create("/kept", "before the crash".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
        }
        cluster.kill9(1);
        assertThat(cluster.server(1).running()).isFalse();
        assertThat(cluster.role(1)).isEqualTo(Role.UNREACHABLE);
        assertThat(ServerProcess.fourLetterWord(cluster.clientPort(1), "srvr")).isNull();

        cluster.restart(1);
        assertThat(cluster.server(1).pid()).isNotEqualTo(firstPid).isPositive();
        cluster.awaitLeader();
        try (ZooKeeper zk = ZkClients.connect(cluster.connectString())) {
            assertThat(new String(zk.getData("/kept", false, null), StandardCharsets.UTF_8))
                    .isEqualTo("before the crash");
        }
    }

    @Test
    void aPausedServerAnswersNothingUntilResumed() throws Exception {
        // a session long enough that the client does not give up on the connection while the server is paused
        ProcessCluster cluster = clusters.track(ProcessCluster.builder(dir).standalone()
                .config("maxSessionTimeout", "60000").build()).start();
        cluster.awaitLeader();
        try (ZooKeeper zk = ZkClients.connect(cluster.connectString(), 20_000, null)) {
            zk.create("/p", "v".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
            cluster.pause(1); // returns once the kernel reports the process stopped
            assertThat(ServerProcess.processState(cluster.server(1).pid())).isEqualTo('T');
            assertThat(cluster.role(1)).isEqualTo(Role.UNREACHABLE);
            // the kernel still accepts connections for it, but nobody answers
            assertThat(ServerProcess.fourLetterWord(cluster.clientPort(1), "srvr")).isNull();
            CompletableFuture<String> read = new CompletableFuture<>();
            zk.getData("/p", false, (rc, path, ctx, data, stat) -> {
                if (rc == KeeperException.Code.OK.intValue()) {
                    read.complete(new String(data, StandardCharsets.UTF_8));
                } else {
                    read.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc), path));
                }
            }, null);
            assertThat(read).isNotDone();

            cluster.resume(1);
            assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("v");
            assertThat(cluster.role(1)).isEqualTo(Role.STANDALONE);
        }
    }

    @Test
    void aRecordedWorkloadAcrossKillDashNineIsLinearizable() throws Exception {
        ProcessCluster cluster = startStandalone();
        cluster.awaitLeader();
        RegisterWorkload workload = new RegisterWorkload(cluster.connectString(),
                RegisterWorkload.Settings.defaults(20_260_101L)
                        .withLimits(6_000, Duration.ofSeconds(20))
                        .withPacing(Duration.ofMillis(2)));
        RegisterWorkload.Running running = workload.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> running.acknowledged() >= 300);
        cluster.kill9(1);
        long beforeRestart = running.acknowledged();
        cluster.restart(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> running.acknowledged() >= beforeRestart + 300);
        running.stop();
        RegisterWorkload.Result result = running.await(Duration.ofSeconds(30));
        System.out.println("workload: " + result.summary());

        assertThat(result.unexpected()).isEmpty();
        assertThat(result.history().ops()).hasSizeGreaterThan(600);
        long t0 = System.nanoTime();
        CheckResult check = new LinearizabilityChecker().check(result.history());
        System.out.printf("checked in %d ms: %s%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                check.summary());
        // one server: its reads are linearizable too, so the whole history is checked, reads included
        assertThat(check.verdict()).as(check.explanation()).isEqualTo(CheckResult.Verdict.LINEARIZABLE);
    }
}
