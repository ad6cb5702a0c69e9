package io.corral.server.ensemble;

import java.util.function.BiConsumer;
import java.util.function.ToIntFunction;

/**
 * A fault done to a running {@link ProcessCluster} in two steps: {@link #begin} injects it (and, when a quorum
 * remains, waits until the rest of the ensemble has a leader again), {@link #end} repairs it and waits until every
 * server serves. The victim is chosen when the fault begins (the leader of that moment, or a follower).
 */
public interface Fault {

    String name();

    /** Injects the fault; true if the cluster should keep acknowledging writes meanwhile. */
    boolean begin(ProcessCluster cluster);

    /** Repairs it; returns once a leader is followed by every server. */
    void end(ProcessCluster cluster);

    /** kill -9 the leader; later start it again on its data. */
    static Fault killLeader() {
        return new OnVictim("kill -9 the leader", Fault::leader, (c, id) -> c.kill9(id), (c, id) -> c.restart(id));
    }

    /** kill -9 a follower; later start it again on its data. */
    static Fault killFollower() {
        return new OnVictim("kill -9 a follower", Fault::follower, (c, id) -> c.kill9(id), (c, id) -> c.restart(id));
    }

    /** SIGSTOP the leader until the others have moved on without it, then SIGCONT. */
    static Fault pauseLeader() {
        return new OnVictim("pause the leader", Fault::leader, (c, id) -> c.pause(id), (c, id) -> c.resume(id));
    }

    /** SIGSTOP a follower, then SIGCONT. */
    static Fault pauseFollower() {
        return new OnVictim("pause a follower", Fault::follower, (c, id) -> c.pause(id), (c, id) -> c.resume(id));
    }

    /** Cut every peer link of the leader (its clients still reach it), then heal them. */
    static Fault isolateLeader() {
        return new OnVictim("isolate the leader", Fault::leader, (c, id) -> c.isolate(id), (c, id) -> c.heal(id));
    }

    /** Cut every peer link of a follower, then heal them. */
    static Fault isolateFollower() {
        return new OnVictim("isolate a follower", Fault::follower, (c, id) -> c.isolate(id), (c, id) -> c.heal(id));
    }

    /** kill -9 every server at once and start them all again (begin does both; end has nothing left to do). */
    static Fault restartAll() {
        return new Fault() {
            @Override
            public String name() {
                return "kill -9 and restart every server";
            }

            @Override
            public boolean begin(ProcessCluster cluster) {
                cluster.restartAll();
                cluster.awaitLeader();
                return true;
            }

            @Override
            public void end(ProcessCluster cluster) {
                // nothing: every server is back already
            }
        };
    }

    private static int leader(ProcessCluster cluster) {
        return cluster.awaitLeader();
    }

    /** The lowest-numbered server that is not the leader. */
    private static int follower(ProcessCluster cluster) {
        if (cluster.standalone()) {
            throw new IllegalStateException("a standalone server has no followers");
        }
        int leader = cluster.awaitLeader();
        return cluster.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
    }

    /** A fault on one server chosen when it begins. */
    final class OnVictim implements Fault {
        private final String name;
        private final ToIntFunction<ProcessCluster> choose;
        private final BiConsumer<ProcessCluster, Integer> inject;
        private final BiConsumer<ProcessCluster, Integer> repair;
        private int victim = -1;

        OnVictim(String name, ToIntFunction<ProcessCluster> choose, BiConsumer<ProcessCluster, Integer> inject,
                BiConsumer<ProcessCluster, Integer> repair) {
            this.name = name;
            this.choose = choose;
            this.inject = inject;
            this.repair = repair;
        }

        @Override
        public String name() {
            return victim < 0 ? name : name + " (server " + victim + ")";
        }

        @Override
        public boolean begin(ProcessCluster cluster) {
            victim = choose.applyAsInt(cluster);
            inject.accept(cluster, victim);
            if (cluster.standalone()) {
                return false; // the only server is gone: nothing serves until the fault ends
            }
            cluster.awaitLeader(); // among the servers still reachable: a quorum of the rest elects one
            return true;
        }

        @Override
        public void end(ProcessCluster cluster) {
            repair.accept(cluster, victim);
            cluster.awaitLeader();
        }
    }
}
