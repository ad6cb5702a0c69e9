package io.corral.server.zab;

import static io.corral.server.zab.Simulation.SYNC_LIMIT;
import static io.corral.server.zab.Simulation.TICK;

/**
 * Liveness, once the faults stop: every server must join one leader, catch up, and commit new proposals, and every
 * read-index request at a live server must be answered.
 */
final class SimLiveness {

    private final SimRun run;
    private final SimInvariants invariants;
    private final SimReads reads;

    SimLiveness(SimRun run, SimInvariants invariants, SimReads reads) {
        this.run = run;
        this.invariants = invariants;
        this.reads = reads;
    }

    /** runs until the servers {@linkplain #converged() converge}, for {@code ticks} at most; fails if they do not */
    void awaitConverged(long ticks, String what) {
        long deadline = run.now() + ticks * TICK;
        while (run.now() < deadline && !converged()) {
            run.runUntil(run.now() + TICK);
        }
        if (!converged()) {
            run.fail("no convergence after " + what);
        }
    }

    /**
     * Runs until one leader has kept every server converged on it (see {@link #converged()}) for syncLimit + 1 ticks;
     * fails if that takes beyond {@code deadline}. One converged instant proves little right after the heal: a leader
     * that resumes from a pause is still followed by servers whose syncLimit ran out while it was paused, and which
     * drop it at their next tick; within syncLimit ticks every timer started before the window has fired.
     */
    void awaitSettled(long deadline) {
        ZabNode stable = null; // a node and its epoch: a leader that leads again after a restart is another one
        long stableEpoch = -1;
        long since = run.now();
        while (run.now() < deadline) {
            SimServer leader = convergedLeader();
            if (leader == null || leader.core != stable || leader.core.epoch() != stableEpoch) {
                stable = leader == null ? null : leader.core;
                stableEpoch = leader == null ? -1 : leader.core.epoch();
                since = run.now();
            } else if (run.now() - since > SYNC_LIMIT * TICK) {
                run.log("=== settled on leader " + leader.id + " in epoch " + stableEpoch);
                return;
            }
            run.runUntil(run.now() + TICK);
        }
        run.fail("no leader kept every server converged on it for " + (SYNC_LIMIT + 1) + " ticks after healing");
    }

    boolean converged() {
        return convergedLeader() != null;
    }

    /** the one established leader that every other server follows, synchronised; null if there is none */
    private SimServer convergedLeader() {
        SimServer leader = null;
        for (SimServer s : run.servers.values()) {
            if (!s.alive) {
                return null;
            }
            if (s.core.isEstablished()) {
                if (leader != null) {
                    return null;
                }
                leader = s;
            }
        }
        if (leader == null || leader.core.reconfigInFlight()) {
            // a pending reconfig may still remove the leader, which then hands over
            return null;
        }
        for (SimServer s : run.servers.values()) {
            if (s != leader && !removed(s) && (!s.core.isSynced() || s.core.leaderId() != leader.id)) {
                return null;
            }
        }
        return leader;
    }

    private boolean allApplied(long zxid) {
        for (SimServer s : run.servers.values()) {
            if (!removed(s) && s.appliedZxid() < zxid) {
                return false;
            }
        }
        return true;
    }

    /** a server a committed reconfig removed: it serves no more, and joins no leader */
    private static boolean removed(SimServer s) {
        return s.core.memberships().removed();
    }

    void checkLive() {
        SimServer leader = null;
        for (SimServer s : run.servers.values()) {
            if (s.core.isEstablished()) {
                if (leader != null) {
                    run.fail("two established leaders after healing: " + leader.id + " and " + s.id);
                }
                leader = s;
            }
        }
        if (leader == null) {
            run.fail("no established leader after healing");
        }
        for (SimServer s : run.servers.values()) {
            if (s != leader && removed(s)) {
                if (s.core.role() != Role.LOOKING) {
                    run.fail("server " + s.id + " was removed but is " + s.core.role());
                }
                continue;
            }
            if (s != leader && (!s.core.isSynced() || s.core.leaderId() != leader.id)) {
                run.fail("server " + s.id + " did not join leader " + leader.id + " after healing");
            }
        }
        // new proposals still commit everywhere, and a read index after them covers them
        reads.stop();
        long last = 0;
        for (int i = 0; i < 5; i++) {
            last = leader.propose().zxid();
        }
        run.runUntil(run.now() + 10 * TICK);
        // a configuration of one voter commits at once, and its informs may overflow an observer's link (which
        // resets, and the observer joins again): give that the time of a rejoin
        for (long until = run.now() + 30 * TICK; run.dynamic && run.now() < until && !allApplied(last); ) {
            run.runUntil(run.now() + TICK);
        }
        if (!leader.core.isEstablished()) {
            run.fail("leader " + leader.id + " stopped leading during the liveness check: " + leader.core.lastChange());
        }
        long finalRead = leader.readIndex();
        run.runUntil(run.now() + 5 * TICK);
        if (reads.isPending(finalRead)) {
            run.fail("the final read index at " + leader.id + " was not confirmed");
        }
        reads.checkAnswered();
        for (SimServer s : run.servers.values()) {
            if (removed(s)) {
                continue;
            }
            if (s.appliedZxid() < last) {
                run.fail("server " + s.id + " applied only up to " + Zxid.toString(s.appliedZxid()) + ", not "
                        + Zxid.toString(last));
            }
            // once it applied everything: (before the first reconfig, a spare's is its own: the voters and itself)
            Membership own = s.core.membership();
            Membership committed = invariants.committedMembership();
            if (run.dynamic && (committed.version() > 0 ? !own.equals(committed) : own.version() != 0)) {
                run.fail("server " + s.id + " has configuration " + s.core.membership() + ", not the committed "
                        + committed);
            }
        }
        if (invariants.committedCount() == 0) {
            run.fail("nothing committed");
        }
    }
}
