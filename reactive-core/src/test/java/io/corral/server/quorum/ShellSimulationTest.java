package io.corral.server.quorum;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs {@link ShellSimulation}, the real ZAB shell ({@link ZabQuorum}) over simulated links, disks and clocks: the
 * seeds and scenarios that found bugs in it. A failure names its seed.
 */
class ShellSimulationTest {

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

    private static ShellSimulation run(long seed) {
        ShellSimulation sim = new ShellSimulation(seed, paramsFor(seed), false);
        try {
            sim.run();
        } catch (AssertionError | RuntimeException e) {
            fail("shell simulation failed with seed " + seed + " (replay: -Dshell.seed=" + seed + "): " + e, e);
        }
        return sim;
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

    private static void report(String what, ShellSimulation sim) {
        System.out.printf("shell simulation, %s: caught up in %d ticks; %d txns committed, %d connection resets "
                        + "(%d full links), %d snapshot installs, %d elections%n", what, sim.catchUpTicks,
                sim.committedCount(), sim.resets(), sim.overflows(), sim.snapshotsInstalled, sim.elections);
    }
}
