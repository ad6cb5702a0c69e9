package io.corral.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

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
 * and resume, and a recorded register workload across kill -9, pause and a full restart whose history (reads
 * included: one server) must be linearizable.
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
    void aFaultRunOfKillPauseAndFullRestartIsLinearizable() throws Exception {
        ProcessCluster cluster = startStandalone();
        FaultRun.Report report = new FaultRun(cluster, RegisterWorkload.Settings.defaults(7L)
                .withLimits(20_000, Duration.ofSeconds(60))
                .withPacing(Duration.ofMillis(2)))
                .checkReads(true)
                .run(Fault.killLeader(), Fault.pauseLeader(), Fault.restartAll());
        report.assertLinearizable();
        assertThat(report.steps()).hasSize(7).anyMatch(s -> s.startsWith("kill -9 the leader (server 1), during"));
        assertThat(report.workload().unknown()).as("requests in flight at the kills").isPositive();
        assertThat(report.workload().history().ops()).anyMatch(op -> op.kind() == RegisterOp.Kind.CAS
                && op.outcome() == RegisterOp.Outcome.OK);
        assertThat(report.workload().history().ops()).anyMatch(op -> op.kind() == RegisterOp.Kind.CAS
                && op.outcome() == RegisterOp.Outcome.BAD_VERSION);
    }
}
