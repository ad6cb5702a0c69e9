package io.corral.server.zab;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Membership changes in the seeded simulation ({@link Simulation#runReconfigs()}): random reconfigs over voters,
 * observers and spare servers, under crashes, leader kills, partitions, pauses and compactions, with every invariant of
 * {@link ZabSimulationTest} checked across the changes. {@code -Dreconfig.seeds=N} runs N seeds
 * (from {@code -Dreconfig.firstSeed}, 1 by default), {@code -Dreconfig.seed=N} replays one with its trace.
 */
class ReconfigSimulationTest {

    private static final long DEFAULT_SEEDS = 300;

    static Simulation.Params paramsFor(long seed) {
        int shape = (int) Math.floorMod(seed, 4);
        int voters = shape < 2 ? 3 : 5;
        int observers = shape % 2;
        return new Simulation.Params(voters, observers, 3_000, 3_000, 60);
    }

    static int sparesFor(long seed) {
        return 1 + (int) Math.floorMod(seed / 4, 2);
    }

    @Test
    void seeds() {
        String one = System.getProperty("reconfig.seed");
        if (one != null) {
            runTraced(Long.parseLong(one));
            return;
        }
        long first = Long.getLong("reconfig.firstSeed", 1);
        long count = Long.getLong("reconfig.seeds", DEFAULT_SEEDS);
        long started = System.nanoTime();
        long proposed = 0;
        long refused = 0;
        long committed = 0;
        long crashes = 0;
        long elections = 0;
        for (long seed = first; seed < first + count; seed++) {
            Simulation sim = new Simulation(seed, paramsFor(seed), false, sparesFor(seed));
            try {
                sim.runReconfigs();
            } catch (AssertionError | RuntimeException e) {
                fail("reconfig simulation failed with seed " + seed + " (replay: -Dreconfig.seed=" + seed + "): " + e,
                        e);
            }
            proposed += sim.reconfigsProposed;
            refused += sim.reconfigsRefused;
            committed += sim.reconfigsCommitted;
            crashes += sim.crashes;
            elections += sim.elections;
        }
        System.out.printf("reconfig simulation: %d seeds in %d ms; %d reconfigs proposed, %d committed, %d refused "
                        + "(no synchronised quorum of the new voters, or one in flight); %d crashes, %d elections%n",
                count, (System.nanoTime() - started) / 1_000_000, proposed, committed, refused, crashes, elections);
        assertThat(committed).as("reconfigs committed").isGreaterThan(count);
    }

    /**
     * Seed 7352, as the simulation stood when it found the bug: a voter that, as leader, had proposed a reconfig
     * making it the only voter, then lost its quorum, restarted with that reconfig pending in its log; it counted the
     * pending configuration when the others told it whom they followed, found no quorum of it, and looked for good.
     */
    @Test
    void aVoterHoldingAnAbandonedReconfigJoinsTheLeaderTheOthersElected() {
        Simulation sim = new Simulation(7352, paramsFor(7352), false, sparesFor(7352));
        sim.runReconfigs();
        assertThat(sim.reconfigsCommitted).isPositive();
    }

    private static void runTraced(long seed) {
        Simulation sim = new Simulation(seed, paramsFor(seed), true, sparesFor(seed));
        try {
            sim.runReconfigs();
        } catch (AssertionError | RuntimeException e) {
            String trace = sim.trace();
            String[] lines = trace.split("\n");
            int from = Math.max(0, lines.length - Integer.getInteger("zab.traceLines", 400));
            System.out.println("---- trace of seed " + seed + " (last " + (lines.length - from) + " of "
                    + lines.length + " lines)");
            for (int i = from; i < lines.length; i++) {
                System.out.println(lines[i]);
            }
            throw e;
        }
    }
}
