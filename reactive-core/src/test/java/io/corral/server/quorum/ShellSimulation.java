package io.corral.server.quorum;

import io.corral.log.LogEntry;
import io.corral.server.zab.ZabConfig;
import io.corral.server.zab.Zxid;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A deterministic simulation of an ensemble that runs the real shell: every server is a {@link ZabQuorum}, built as
 * {@code ZabQuorum.open} builds it, over simulated parts — its links ({@link SimNetwork} over {@link SimLinks}), its
 * log ({@link SimReplicaLog}), its epochs ({@link SimEpochs}), its state machine ({@link SimStateMachine}, the
 * sequencer's part) and the clock ({@link SimClock}). One seeded generator drives everything, so a seed replays
 * exactly. A server runs as the sequencer's loop does (poll the quorum, then apply what is committed) whenever its
 * links, its disk or its timer have something for it; clients come in between.
 *
 * <p>Faults: crashes (memory and the log's unsynced tail are lost; the restart recovers from the server's snapshot
 * and re-learns its log after it, as the sequencer's recovery does), leader kills, connection resets, partitions,
 * stalled disks, slow links that overflow, and local snapshots that purge the log. Clients write at the leader,
 * forward writes from learners, and sync anywhere; some writes are released by the commit loop itself (a pipelined
 * write behind a read), as the sequencer's are, even while the shell takes a snapshot for a learner.
 *
 * <p>Invariants, checked as the run goes: at most one leader serves per epoch; every server applies a prefix of one
 * committed sequence in strictly increasing zxid order; every applied txn is durable on a quorum of voters, and stays
 * so through crashes, truncations, snapshots and purges; no zxid is proposed twice and every learner persists what
 * was proposed; epochs only move forward; a sync is answered at or above every commit known when it was asked.
 * Liveness, once the faults stop: one leader, every server serving, and new writes applied everywhere within a
 * bounded number of ticks.
 *
 * <p>This class drives the runs and takes what every server's state machine reports. The parts: {@link ShellSimServer}
 * (a server and the sequencer's loop around its shell), {@link ShellSimFaults}, {@link ShellSimClients},
 * {@link ShellSimInvariants} and {@link ShellSimLiveness}, over what they all share in {@link ShellSimRun}.
 */
final class ShellSimulation extends ShellSimRun implements SimStateMachine.Checks {

    static final long TICK_MS = 10;
    static final long TICK = TICK_MS * SimClock.MILLI;

    /**
     * The shape of one run and the limits of its servers, links and disks.
     *
     * @param initLimit    in tickTimes, as zoo.cfg says it (the shell's core ticks are a tenth of one)
     * @param linkCapacity messages one direction of a connection holds
     * @param logRoom      entries that may wait for a disk before the shell takes no more work
     */
    record Params(int voters, int observers, long faultMillis, long healMillis, int meanFaultGapMillis,
                  int initLimit, int syncLimit, int diffLimit, int syncWindow, int syncWindowBytes, int snapChunk,
                  int linkCapacity, long transmitMicros, int logRoom) {

        /** the random-fault runs: small windows, chunks and links, so streams, snapshots and overflows are common */
        static Params randomFaults(int voters, int observers) {
            return new Params(voters, observers, 4_000, 8_000, 120, 5, 2, 60, 8, 512, 1_024, 48, 5, 64);
        }

        /** a learner far behind: production sync windows over links of {@code linkCapacity} messages */
        static Params farBehind(int voters, int diffLimit, int linkCapacity) {
            return new Params(voters, 0, 0, 0, 0, 10, 5, diffLimit, ZabConfig.SYNC_WINDOW,
                    ZabConfig.SYNC_WINDOW_BYTES, 64 << 10, linkCapacity, 5, 8_192);
        }

        Params withSyncWindow(int entries) {
            return new Params(voters, observers, faultMillis, healMillis, meanFaultGapMillis, initLimit, syncLimit,
                    diffLimit, entries, syncWindowBytes, snapChunk, linkCapacity, transmitMicros, logRoom);
        }
    }

    private final ShellSimInvariants invariants = new ShellSimInvariants(this);
    private final ShellSimClients clients = new ShellSimClients(this, invariants);
    private final ShellSimFaults faults = new ShellSimFaults(this);
    private final ShellSimLiveness liveness = new ShellSimLiveness(this, invariants, clients);

    /** leaders handing over: each ends with a handover (a role change) or leads on (serving again) */
    private final Set<Long> handingOver = new HashSet<>();

    ShellSimulation(long seed, Params params, boolean traced) {
        super(seed, params, traced);
        for (long id = 1; id <= params.voters() + params.observers(); id++) {
            servers.put(id, new ShellSimServer(id, this, this, invariants));
        }
    }

    // ================================================================== runs

    /** random faults for faultMillis, then none: the ensemble must serve again within healMillis */
    void run() {
        startAll();
        clients.start(3 * SimClock.MILLI);
        faults.start();
        runFor(params.faultMillis());
        faults.heal();
        // A learner resynchronised late streams through the runs' 8-entry window at one window per disk sync and
        // round trip, about the clients' rate during faults: it caught up, or not, by chance (seed 1723). Once the
        // faults stop the clients write at half that rate, so that every learner can outpace them.
        clients.rate(6 * SimClock.MILLI);
        liveness.awaitConverged(params.healMillis() / TICK_MS, "healing");
        liveness.checkLive();
    }

    /**
     * A learner far behind: a follower is down while the leader commits {@code behind} txns; it restarts while
     * clients keep writing, and whoever leads is killed {@code leaderKills} times while the learner is in the middle
     * of its synchronisation (each restarts {@code downMillis} later; with 3 voters a new leader then needs the
     * learner to finish). Every server must serve one leader within {@code maxTicks} ticks of the learner's restart.
     */
    void runFarBehind(int behind, int leaderKills, long downMillis, long maxTicks) {
        startAll();
        liveness.awaitConverged(500, "the first election");
        ShellSimServer leader = leader();
        ShellSimServer lagger = servers.get(voters.stream().filter(v -> v != leader.id).findFirst().orElseThrow());
        lagger.crash();
        int written = 0;
        while (written < behind) {
            if (!leader.leadsAndServes()) {
                fail("the leader stopped leading while the learner was down");
            }
            while (written < behind && leader.mayWrite()) {
                leader.write();
                written++;
            }
            runFor(1);
        }
        runFor(20 * TICK_MS);
        log("=== " + lagger.id + " restarts " + behind + " txns behind");
        clients.start(500);
        lagger.start();
        long restartedAt = clock.now();
        long deadline = restartedAt + maxTicks * TICK;
        for (int i = 0; i < leaderKills; i++) {
            long from = lagger.log.lastZxid();
            while (clock.now() < deadline && !lagger.quorum.serving() && lagger.log.lastZxid() - from < 2_000) {
                runFor(1);
            }
            ShellSimServer current = leaderOrNull();
            if (current == null || lagger.quorum.serving()) {
                break;
            }
            log("=== kill leader " + current.id + " while " + lagger.id + " is at "
                    + Zxid.toString(lagger.log.lastZxid()));
            current.crash();
            clock.schedule(downMillis * SimClock.MILLI, () -> {
                if (!current.alive) {
                    current.start();
                }
            });
            runFor(TICK_MS);
        }
        while (clock.now() < deadline && !liveness.converged()) {
            runFor(TICK_MS);
        }
        if (!liveness.converged()) {
            fail("the learner " + lagger.id + " restarted " + behind + " txns behind did not catch up within "
                    + maxTicks + " ticks");
        }
        catchUpTicks = (clock.now() - restartedAt) / TICK;
        liveness.checkLive();
    }

    /**
     * A follower's disk stalls for {@code stallMillis} while clients write {@code writes} txns at the leader: the
     * leader and the other followers must keep committing, and once the disk is back the follower must catch up
     * within {@code maxTicks} ticks.
     */
    void runStalledDisk(long stallMillis, int writes, long maxTicks) {
        startAll();
        liveness.awaitConverged(500, "the first election");
        ShellSimServer leader = leader();
        ShellSimServer stalled = servers.get(voters.stream().filter(v -> v != leader.id).findFirst().orElseThrow());
        log("=== the disk of " + stalled.id + " stalls for " + stallMillis + " ms");
        stalled.log.stall(stallMillis * SimClock.MILLI);
        stalls++;
        long end = clock.now() + stallMillis * SimClock.MILLI;
        long perMilli = (writes + stallMillis - 1) / stallMillis;
        int written = 0;
        while (clock.now() < end) {
            if (!leader.leadsAndServes()) {
                fail("the leader stopped leading while a follower's disk stalled");
            }
            for (int i = 0; i < perMilli && written < writes && leader.mayWrite(); i++) {
                leader.write();
                written++;
            }
            runFor(1);
        }
        if (written < writes) {
            // a client waits for its answers: had the quorum stopped committing, it would have stopped too
            fail("the leader took only " + written + " of " + writes + " writes while a follower's disk stalled");
        }
        log("=== the disk of " + stalled.id + " is back; " + invariants.committedCount() + " txns committed");
        long back = clock.now();
        long deadline = back + maxTicks * TICK;
        while (clock.now() < deadline
                && !(liveness.converged() && stalled.host.appliedZxid() >= invariants.lastCommitted())) {
            runFor(TICK_MS);
        }
        if (!liveness.converged()) {
            fail("the follower whose disk stalled did not catch up within " + maxTicks + " ticks");
        }
        catchUpTicks = (clock.now() - back) / TICK;
        liveness.checkLive();
    }

    /**
     * A follower's history is truncated while its disk is slow, and the new leader needs it for a quorum: the
     * follower's disk stalls under writes; the leader's last proposals reach only that follower (the other one is cut
     * off, and the leader's own disk stalls too) and are lost when the leader crashes; the leader comes back and leads
     * a new epoch with the other follower, which then crashes. The stalled follower rejoins: it must truncate the lost
     * proposals, and the leader and it must serve within {@code maxTicks} ticks of the truncation.
     */
    void runTruncationOverAStalledDisk(long maxTicks) {
        startAll();
        liveness.awaitConverged(500, "the first election");
        ShellSimServer leader = leader();
        List<ShellSimServer> followers = servers.values().stream().filter(s -> s != leader).toList();
        ShellSimServer slow = followers.get(0);
        ShellSimServer other = followers.get(1);
        log("=== the disk of " + slow.id + " stalls");
        slow.log.stall(60_000 * SimClock.MILLI);
        for (int i = 0; i < 20; i++) {
            leader.write();
        }
        runFor(20 * TICK_MS);
        log("=== " + other.id + " is cut off; the disk of " + leader.id + " stalls");
        links.partition(Set.of(other.id));
        leader.log.stall(60_000 * SimClock.MILLI);
        for (int i = 0; i < 5; i++) {
            leader.write();
        }
        runFor(5);
        leader.crash();
        leader.log.endStall();
        log("=== " + slow.id + " is cut off; " + leader.id + " restarts");
        links.partition(Set.of(slow.id));
        leader.start();
        long deadline = clock.now() + 500 * TICK;
        while (clock.now() < deadline && !(leader.alive && other.alive && liveness.converged(List.of(leader, other)))) {
            runFor(TICK_MS);
        }
        ShellSimServer next = leaderOrNull();
        if (next == null || !liveness.converged(List.of(leader, other))) {
            fail(leader.id + " and " + other.id + " did not serve a new epoch together");
        }
        ShellSimServer gone = next == leader ? other : leader;
        log("=== " + gone.id + " crashes; " + slow.id + " may rejoin " + next.id);
        gone.crash();
        links.heal();
        int truncationsBefore = truncations;
        while (clock.now() < deadline + 500 * TICK && truncations == truncationsBefore) {
            runFor(TICK_MS);
        }
        if (truncations == truncationsBefore) {
            fail(slow.id + " was never told to truncate");
        }
        log("=== the disk of " + slow.id + " works again");
        slow.log.endStall();
        long truncatedAt = clock.now();
        deadline = truncatedAt + maxTicks * TICK;
        while (clock.now() < deadline && !(next.alive && slow.alive && liveness.converged(List.of(next, slow)))) {
            runFor(TICK_MS);
        }
        if (!liveness.converged(List.of(next, slow))) {
            fail("the follower truncated over a stalled disk did not serve with the leader within " + maxTicks
                    + " ticks");
        }
        catchUpTicks = (clock.now() - truncatedAt) / TICK;
        gone.start();
        liveness.awaitConverged(500, "the restart of " + gone.id);
        liveness.checkLive();
    }

    private void startAll() {
        for (ShellSimServer s : servers.values()) {
            s.start();
        }
    }

    int committedCount() {
        return invariants.committedCount();
    }

    // ================================================================== what the state machines report
    // the safety checks go to the invariants, the clients' part to the clients, the rest to the trace and the report

    @Override
    public void applied(long server, int index, LogEntry e) {
        invariants.applied(server, index, e);
    }

    @Override
    public void learned(long server, LogEntry e) {
        invariants.learned(server, e);
    }

    @Override
    public void leading(long server, long epoch) {
        log(server + " leads epoch " + epoch);
        invariants.leading(server, epoch);
    }

    @Override
    public void installed(long server, long zxid, List<LogEntry> entries) {
        snapshotsInstalled++;
        log(server + " installs a snapshot at " + Zxid.toString(zxid));
        invariants.installed(server, zxid, entries);
    }

    @Override
    public void syncAnswered(long server, long zxid, long known) {
        syncsAnswered++;
        invariants.syncAnswered(server, zxid, known);
    }

    @Override
    public void forwarded(SimStateMachine leader, long learner, byte[] request) {
        clients.forwarded(leader, learner, request);
    }

    @Override
    public void roleChanged(long server, String mode) {
        log(server + " is now " + mode);
        clients.roleChanged(server);
        if (handingOver.remove(server)) {
            handovers++;
        }
        if (mode.equals("looking")) {
            elections++;
        }
    }

    @Override
    public void handingOver(long server) {
        log(server + " hands over");
        handingOver.add(server);
    }

    @Override
    public void serving(long server, String mode) {
        log(server + " serves as " + mode);
        if (handingOver.remove(server)) {
            transfersAbandoned++;
        }
    }

    /** writes that waited behind a read: see {@link ShellSimClients#afterApplying} */
    @Override
    public void afterApplying(SimStateMachine server) {
        clients.afterApplying(server);
    }

    @Override
    public void truncated(long server, long zxid) {
        truncations++;
        log(server + " truncates after " + Zxid.toString(zxid));
    }
}
