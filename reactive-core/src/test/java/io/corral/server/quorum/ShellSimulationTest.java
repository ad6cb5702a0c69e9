package io.corral.server.quorum;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs {@link ShellSimulation}, the real ZAB shell ({@link ZabQuorum}) over simulated links, disks and clocks: many
 * seeds of random faults over 3 and 5 servers, with and without an observer; the seeds that found bugs; learners
 * far behind over links far smaller than what they lack; a follower whose disk stalls. A failure names its seed;
 * {@code -Dshell.seed=N} replays that one seed and prints its trace on failure ({@code -Dshell.traceMessages=true}
 * adds every message delivered), {@code -Dshell.seeds=N} runs N seeds (the soak profile runs many more),
 * {@code -Dshell.firstSeed=N} moves the start.
 */
class ShellSimulationTest {

    private static final int DEFAULT_SEEDS = 200;
    private static final Logger SHELL_LOG = (Logger) LoggerFactory.getLogger(ZabQuorum.class);
    private static Level shellLevel;

    /** the shell logs its start and every role change at INFO: hundreds of runs would flood the output */
    @BeforeAll
    static void quietShell() {
        shellLevel = SHELL_LOG.getLevel();
        SHELL_LOG.setLevel(Level.WARN);
    }

    @AfterAll
    static void restoreShellLog() {
        SHELL_LOG.setLevel(shellLevel);
    }

    static ShellSimulation.Params paramsFor(long seed) {
        return switch ((int) Math.floorMod(seed, 4)) {
            case 0 -> ShellSimulation.Params.randomFaults(3, 0);
            case 1 -> ShellSimulation.Params.randomFaults(5, 0);
            case 2 -> ShellSimulation.Params.randomFaults(2, 1);
            default -> ShellSimulation.Params.randomFaults(4, 1);
        };
    }

    @Test
    void seeds() {
        String one = System.getProperty("shell.seed");
        if (one != null) {
            runTraced(Long.parseLong(one));
            return;
        }
        long first = Long.getLong("shell.firstSeed", 1);
        long count = Long.getLong("shell.seeds", DEFAULT_SEEDS);
        long started = System.nanoTime();
        long commits = 0;
        long crashes = 0;
        long elections = 0;
        long snapshots = 0;
        long truncations = 0;
        long overflows = 0;
        long resets = 0;
        long stalls = 0;
        long partitions = 0;
        long purges = 0;
        long syncs = 0;
        long forwarded = 0;
        long released = 0;
        long transfers = 0;
        long handovers = 0;
        long abandoned = 0;
        for (long seed = first; seed < first + count; seed++) {
            ShellSimulation sim = run(seed);
            commits += sim.committedCount();
            crashes += sim.crashes;
            elections += sim.elections;
            snapshots += sim.snapshotsInstalled;
            truncations += sim.truncations;
            overflows += sim.overflows();
            resets += sim.resets();
            stalls += sim.stalls;
            partitions += sim.partitions;
            purges += sim.purges;
            syncs += sim.syncsAnswered;
            forwarded += sim.forwardedWrites;
            released += sim.releasedWrites;
            transfers += sim.transfers;
            handovers += sim.handovers;
            abandoned += sim.transfersAbandoned;
        }
        System.out.printf("shell simulation: %d seeds in %d ms; %d txns committed (%d forwarded by learners, %d "
                        + "released by a commit), %d crashes, %d elections, %d snapshot installs, %d truncations, "
                        + "%d purges, %d partitions, %d connection resets (%d full links), %d disk stalls, %d syncs "
                        + "answered, %d leadership transfers (%d handed over, %d abandoned)%n", count,
                (System.nanoTime() - started) / 1_000_000, commits, forwarded, released, crashes, elections, snapshots,
                truncations, purges, partitions, resets, overflows, stalls, syncs, transfers, handovers, abandoned);
    }

    private static ShellSimulation run(long seed) {
        ShellSimulation sim = new ShellSimulation(seed, paramsFor(seed), false);
        try {
            sim.run();
        } catch (AssertionError | RuntimeException e) {
            fail("shell simulation failed with seed " + seed + " (replay: -Dshell.seed=" + seed + "): " + e, e);
        }
        return sim;
    }

    private static void runTraced(long seed) {
        ShellSimulation sim = new ShellSimulation(seed, paramsFor(seed), true);
        try {
            sim.run();
        } catch (AssertionError | RuntimeException e) {
            System.out.println(sim.traceTail(Integer.getInteger("shell.traceLines", 400)));
            throw e;
        }
    }

    // --- the seeds that found bugs, as the simulation stood when they did

    /**
     * A leader purged its log after a local snapshot while streaming to a learner: it judged the log still readable
     * from the snapshot it had started with, and streamed the entries after the purge as if they followed the ones
     * before it. The learner applied a history with a gap.
     */
    @Test
    void aLogPurgedUnderAStreamIsNeverStreamedWithAGap() {
        run(20);
    }

    /**
     * A leader restarted from an old snapshot sent it to a learner that was further behind its log than the diff
     * limit, before it was established: installing it took committed txns off the learner's disk.
     */
    @Test
    void aLeaderNotEstablishedYetNeverSendsASnapshotBelowTheHistoryItShares() {
        run(16);
    }

    /**
     * Taking a snapshot for a learner applied commits, which released a client's write, proposed at once: its outputs
     * were carried out in the middle of those of an earlier proposal, which reached the log after it.
     */
    @Test
    void aWriteProposedWhileTheShellTakesASnapshotKeepsItsPlace() {
        run(31);
    }

    /**
     * A follower was told to truncate while its disk was slow: the truncation made what it kept durable, but the shell
     * never told the core, which waited for it forever; the new leader needed that follower for a quorum, so no
     * leader could serve while the third server was down.
     */
    @Test
    void aFollowerTruncatedOverAStalledDiskServesTheLeaderThatNeedsIt() {
        ShellSimulation sim = new ShellSimulation(1, ShellSimulation.Params.farBehind(3, 100_000, 2_000), false);
        sim.runTruncationOverAStalledDisk(100);
        assertThat(sim.truncations).isPositive();
        report("a truncation over a stalled disk", sim);
    }

    // --- learners far behind, over the real shell

    /**
     * The stall seen on real servers: a follower restarts 20,000 txns behind while clients write, over links that
     * hold 2,000 messages, and the leader is killed while the follower is in the middle of its synchronisation. With
     * the production sync window it catches up within a bounded number of ticks.
     */
    @Test
    void aDiffTenTimesTheLinkCompletesThoughTheLeaderIsKilledMidSync() {
        ShellSimulation sim = farBehind(7, 100_000, 20_000, 1, 300);
        assertThat(sim.overflows()).isZero();
    }

    /** The same run, with the whole diff pushed at once as it was before the stream had a window: it never ends. */
    @Test
    void theSameRunStallsWhenTheDiffIsPushedWhole() {
        ShellSimulation sim = new ShellSimulation(7,
                ShellSimulation.Params.farBehind(3, 100_000, 2_000).withSyncWindow(1_000_000), false);
        assertThatThrownBy(() -> sim.runFarBehind(20_000, 1, 300, 300))
                .hasMessageContaining("did not catch up within 300 ticks");
        assertThat(sim.overflows()).isPositive();
    }

    @Test
    void theLeaderIsKilledTwiceWhileTheLearnerIsMidSync() {
        farBehind(11, 100_000, 20_000, 2, 600);
        farBehind(12, 100_000, 20_000, 2, 600);
    }

    @Test
    void aLearnerBeyondTheDiffLimitGetsASnapshotInChunks() {
        assertThat(farBehind(21, 1_000, 20_000, 1, 600).snapshotsInstalled).isPositive();
    }

    @Test
    void aHundredThousandBehindIsReadABatchAtATime() {
        farBehind(31, 1_000_000, 100_000, 1, 1_000);
    }

    /**
     * 3 voters over links of 2,000 messages: a follower restarts {@code behind} txns behind, the leader is killed
     * {@code kills} times while it synchronises; it must catch up within {@code maxTicks} ticks.
     */
    private static ShellSimulation farBehind(long seed, int diffLimit, int behind, int kills, long maxTicks) {
        ShellSimulation sim = new ShellSimulation(seed, ShellSimulation.Params.farBehind(3, diffLimit, 2_000), false);
        sim.runFarBehind(behind, kills, 300, maxTicks);
        report(behind + " behind, the leader killed " + kills + " time(s) mid-sync, seed " + seed, sim);
        return sim;
    }

    // --- a follower's disk stalls

    /** A short stall: the quorum commits without the follower, which then catches up. */
    @Test
    void theQuorumCommitsWhileAFollowersDiskStalls() {
        ShellSimulation sim = new ShellSimulation(41, ShellSimulation.Params.farBehind(3, 100_000, 2_000), false);
        sim.runStalledDisk(2_000, 5_000, 300);
        report("a follower's disk stalled for 2 s under 5,000 writes", sim);
    }

    /**
     * A long stall under more writes than a follower may hold undurable: it gives up its leader, comes back, and
     * catches up once its disk does.
     */
    @Test
    void aFollowerWhoseDiskFallsTooFarBehindRejoinsOnceItRecovers() {
        ShellSimulation sim = new ShellSimulation(42, ShellSimulation.Params.farBehind(3, 100_000, 2_000), false);
        sim.runStalledDisk(3_000, 20_000, 300);
        assertThat(sim.elections).as("the stalled follower gave up its leader").isGreaterThan(3);
        report("a follower's disk stalled for 3 s under 20,000 writes", sim);
    }

    private static void report(String what, ShellSimulation sim) {
        System.out.printf("shell simulation, %s: caught up in %d ticks; %d txns committed, %d connection resets "
                        + "(%d full links), %d snapshot installs, %d elections%n", what, sim.catchUpTicks,
                sim.committedCount(), sim.resets(), sim.overflows(), sim.snapshotsInstalled, sim.elections);
    }
}
