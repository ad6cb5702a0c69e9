package io.corral.server.quorum;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The faults of a random-fault run, one at a random server now and then: crashes, leader kills, connection resets,
 * partitions, stalled disks, slow links that overflow, local snapshots that purge the log, and leadership transfers.
 */
final class ShellSimFaults {

    private final ShellSimRun run;
    private boolean faulty;
    /** numbers the partitions, so that only the newest one heals by itself */
    private int partitionGeneration;

    ShellSimFaults(ShellSimRun run) {
        this.run = run;
    }

    /** faults strike, one every meanFaultGapMillis on average, until {@link #heal()} */
    void start() {
        faulty = true;
        scheduleFault();
    }

    private void scheduleFault() {
        run.clock.schedule((1 + run.rnd.nextInt(2 * run.params.meanFaultGapMillis())) * SimClock.MILLI, () -> {
            if (faulty) {
                injectFault();
                scheduleFault();
            }
        });
    }

    private void injectFault() {
        List<ShellSimServer> all = new ArrayList<>(run.servers.values());
        ShellSimServer s = all.get(run.rnd.nextInt(all.size()));
        int kind = run.rnd.nextInt(100);
        if (kind < 20) {
            if (s.alive) {
                s.crashFor(20 + run.rnd.nextInt(800));
            }
        } else if (kind < 30) {
            ShellSimServer l = run.leaderOrNull();
            if (l != null) {
                run.log("=== kill the leader");
                l.crashFor(20 + run.rnd.nextInt(500));
            }
        } else if (kind < 50) {
            ShellSimServer t = all.get(run.rnd.nextInt(all.size()));
            if (t != s) {
                run.links.reset(s.id, t.id);
            }
        } else if (kind < 60) {
            Set<Long> side = new TreeSet<>();
            for (long id : run.servers.keySet()) {
                if (run.rnd.nextBoolean()) {
                    side.add(id);
                }
            }
            partition(side);
        } else if (kind < 67) {
            partition(Set.of(s.id));
        } else if (kind < 77) {
            run.log("=== the disk of " + s.id + " stalls");
            run.stalls++;
            s.log.stall((50 + run.rnd.nextInt(1_500)) * SimClock.MILLI);
        } else if (kind < 87) {
            ShellSimServer t = all.get(run.rnd.nextInt(all.size()));
            if (t != s) {
                run.log("=== the link " + s.id + " -> " + t.id + " slows down");
                run.links.slow(s.id, t.id, (500 + run.rnd.nextInt(4_500)),
                        (100 + run.rnd.nextInt(900)) * SimClock.MILLI);
            }
        } else if (kind < 94) {
            if (s.alive) {
                s.snapshotAndPurge();
            }
        } else {
            transferLeadership(run.rnd.nextBoolean() ? -1 : s.id);
        }
    }

    /** asks the serving leader, if any, to hand over to {@code target} (-1: the best follower) */
    private void transferLeadership(long target) {
        ShellSimServer l = run.leaderOrNull();
        if (l == null) {
            return;
        }
        try {
            run.log("=== " + l.id + " hands over to " + l.quorum.transferLeadership(target));
            run.transfers++;
        } catch (IllegalArgumentException e) {
            run.log("=== " + l.id + " refuses to hand over to " + target + ": " + e.getMessage());
        }
        l.wake();
    }

    private void partition(Set<Long> side) {
        run.partitions++;
        int generation = ++partitionGeneration;
        run.log("=== partition " + side + " from the others");
        run.links.partition(side);
        run.clock.schedule((50 + run.rnd.nextInt(1_500)) * SimClock.MILLI, () -> {
            if (partitionGeneration == generation && faulty) {
                run.log("=== heal the partition");
                run.links.heal();
            }
        });
    }

    /** no more faults: every link heals, every disk works, every server down restarts */
    void heal() {
        run.log("=== no more faults");
        faulty = false;
        run.links.healAll();
        for (ShellSimServer s : run.servers.values()) {
            s.log.endStall();
            if (!s.alive) {
                s.start();
            }
        }
    }
}
