package io.corral.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corral ensembles of separate server JVMs on loopback under a bounded register workload of official ZooKeeper
 * clients, with faults injected one after the other: kill -9 of the leader and of a follower, SIGSTOP past the
 * timeouts then SIGCONT, a server cut off from its peers by the link proxies then healed, and a restart of every
 * server at once. After each fault the ensemble must acknowledge new writes within 30 s (it usually takes well
 * under a second); the whole history of writes is then checked for linearizability, so no acknowledged write was
 * lost or reordered.
 */
class EnsembleFaultTest {
    private static final Duration SERVES_AGAIN_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @RegisterExtension
    final ProcessClusters clusters = new ProcessClusters();

    /** How many times each test goes through its faults: 1 by default, more with -Psoak or -Dcorral.fault.rounds. */
    private static final int ROUNDS = Integer.getInteger("corral.fault.rounds", 1);

    private static Fault[] rounds(Fault... faults) {
        Fault[] all = new Fault[faults.length * ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            System.arraycopy(faults, 0, all, r * faults.length, faults.length);
        }
        return all;
    }

    private ProcessCluster start(int participants) {
        return clusters.track(ProcessCluster.builder(dir).participants(participants)
                .config("tickTime", "500").config("initLimit", "10").config("syncLimit", "4").build()).start();
    }

    /** Runs the faults (ROUNDS times) under the workload; the history of writes must be linearizable. */
    private FaultRun.Report run(int participants, long seed, Fault... faults) throws Exception {
        return run(participants, RegisterWorkload.Settings.defaults(seed), false, faults);
    }

    private FaultRun.Report run(int participants, RegisterWorkload.Settings settings, boolean checkReads,
                                Fault... faults) throws Exception {
        ProcessCluster cluster = start(participants);
        FaultRun.Report report = new FaultRun(cluster, settings
                .withLimits(200_000 * ROUNDS, Duration.ofSeconds(240L * ROUNDS))
                .withPacing(Duration.ofMillis(2)))
                .progress(100, SERVES_AGAIN_WITHIN)
                .checkReads(checkReads)
                .run(rounds(faults));
        System.out.println(report);
        report.assertLinearizable();
        return report;
    }

    @Test
    void threeServersSurviveEveryFaultWithALinearizableHistoryOfWrites() throws Exception {
        FaultRun.Report report = run(3, 11L, Fault.killLeader(), Fault.killFollower(), Fault.pauseFollower(),
                Fault.isolateLeader(), Fault.restartAll());
        assertThat(report.steps()).anyMatch(s -> s.startsWith("kill -9 the leader"));
    }

    /**
     * Corral's sync waits for the leader to confirm with a quorum that it still leads (a read index), so sync + read
     * is linearizable even across a leader that is paused or cut off and does not know yet that it was replaced.
     */
    @Test
    void syncedReadsAreLinearizableToo() throws Exception {
        run(3, RegisterWorkload.Settings.defaults(17L).withSyncedReads(), true, Fault.pauseLeader(),
                Fault.isolateLeader(), Fault.killLeader());
    }

    @Test
    void fiveServersKeepServingWhileALeaderIsPausedAndAFollowerCutOff() throws Exception {
        run(5, 13L, Fault.pauseLeader(), Fault.isolateFollower(), Fault.killLeader());
    }
}
