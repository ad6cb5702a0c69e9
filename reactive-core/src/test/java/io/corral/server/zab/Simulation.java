package io.corral.server.zab;

import io.corral.log.LogEntry;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deterministic simulation of an ensemble in one thread: every server runs a {@link ZabNode} over a
 * {@link SimStorage}; {@link SimServer} plays their shells and disks, {@link SimNetwork} the network between them,
 * and this class drives them, all from one seeded random generator ({@link SimRun}), so that a seed replays exactly.
 *
 * <p>The network behaves like TCP, which is what the core assumes: per connection, messages arrive in order after a
 * random delay; messages on different connections overtake each other. Faults: a connection reset (both ends see
 * {@code disconnected}, whatever was in flight is lost, it comes back later), a partition (messages across it are
 * held, as TCP would, until the connection times out and resets, or the partition heals), a crash (the volatile log
 * tail and all memory are lost) and a restart, a pause of the leader (a long GC: it runs nothing, not even its
 * ticks, and messages to it wait, while the others elect another leader; it resumes believing it still leads), and
 * log compaction (a local snapshot that purges the log it covers,
 * which forces SNAP synchronisation). Clients propose at every established leader, stale ones included, and ask
 * every established leader for read indexes.
 *
 * <p>Invariants, checked as the run goes: at most one leader is established per epoch; every server applies a prefix
 * of one committed sequence, in strictly increasing zxid order; every committed txn is durable on a quorum of voters,
 * and stays so through crashes, truncations and snapshots; no two txns share a zxid; epochs persist monotonically.
 * A confirmed read index is at or above every commit any server knew of when it was asked for, and was asked for
 * when no quorum of voters had accepted a later epoch than the confirming leader's (so no later leader had been
 * established); each request is answered once, by the server asked, in the life it was asked in.
 * After the faults stop, every server must join one leader, catch up, and commit new proposals, and every read-index
 * request at a live server must be answered (liveness). The checks are in {@link SimInvariants}, {@link SimReads}
 * and {@link SimLiveness}.
 */
final class Simulation extends SimRun {

    static final int TICK = 10;
    /** the servers' syncLimit, in ticks: a follower drops a leader, and a leader its quorum, silent this long */
    static final int SYNC_LIMIT = 5;
    /** proposals a leader holds uncommitted, and entries a follower holds not yet durable, at most */
    static final int MAX_OUTSTANDING = 100;

    /**
     * The shape and pace of one run, and the limits of its servers and links.
     *
     * @param diffLimit    a learner further behind gets a snapshot
     * @param syncWindow   entries a leader streams to a synchronising learner beyond its acknowledgement
     * @param linkCapacity messages one direction of a connection holds; one more resets the connection, as the real
     *                     peer link closes when its queue is full
     */
    record Params(int voters, int observers, long faultTime, long healTime, int meanFaultGap, int diffLimit,
                  int syncWindow, int syncWindowBytes, int snapChunk, int linkCapacity) {

        /** the random-fault runs: small windows and links, so streams, chunks and overflows happen often */
        Params(int voters, int observers, long faultTime, long healTime, int meanFaultGap) {
            this(voters, observers, faultTime, healTime, meanFaultGap, 40, 8, 256, 1024, 32);
        }
    }

    private final SimNetwork network = new SimNetwork(this);
    private final SimInvariants invariants;
    private final SimReads reads;
    private final SimLiveness liveness;
    private int partitionGeneration;

    Simulation(long seed, Params params, boolean traced) {
        this(seed, params, traced, -1);
    }

    /**
     * With {@code spares >= 0}, every membership is dynamic ({@code reconfigEnabled=true}) and {@code spares} more
     * servers run from the start in no configuration, each started with the voters and itself (ZooKeeper's procedure
     * for a new server): reconfigs may add them.
     */
    Simulation(long seed, Params params, boolean traced, int spares) {
        super(seed, params, traced, spares >= 0);
        invariants = new SimInvariants(this);
        reads = new SimReads(this, invariants);
        liveness = new SimLiveness(this, invariants, reads);
        for (long id : voters) {
            servers.put(id, newServer(id));
        }
        for (long id : observers) {
            servers.put(id, newServer(id));
        }
        for (long i = 1; i <= spares; i++) {
            long id = params.voters() + params.observers() + i;
            servers.put(id, newServer(id));
        }
        network.linkEveryPair(servers.keySet());
    }

    private SimServer newServer(long id) {
        return new SimServer(id, this, network, invariants, reads);
    }

    // ================================================================== running

    /** starts every server, connects every pair, and starts their ticks */
    private void startAll() {
        for (SimServer s : servers.values()) {
            s.start();
        }
        network.connectAll();
        for (SimServer s : servers.values()) {
            schedule(rnd.nextInt(TICK), s::tick);
        }
    }

    /** runs the faults, then the healing, then checks liveness; throws AssertionError on any violation */
    void run() {
        startAll();
        scheduleClients();
        reads.start();
        scheduleFault();
        runUntil(params.faultTime());
        heal();
        liveness.awaitSettled(now() + params.healTime());
        liveness.checkLive();
    }

    /**
     * A learner far behind, with no random faults: a follower is down while the leader commits {@code behind} txns;
     * it restarts while clients keep writing, and the leader crashes {@code leaderCrashes} times while the learner
     * is in the middle of its synchronisation (each crashed leader restarts {@code downFor} later; with 3 voters, a
     * new leader then needs the learner to finish to have a quorum). Every server must then serve one leader within
     * {@code maxTicks} ticks of the learner's restart, and {@link SimLiveness#checkLive()} must pass.
     */
    void runFarBehind(int behind, int leaderCrashes, long downFor, long maxTicks) {
        stopFaults();
        startAll();
        liveness.awaitConverged(200, "the first election");
        SimServer leader = establishedLeader();
        SimServer lagger = null;
        for (long v : voters) {
            if (v != leader.id) {
                lagger = servers.get(v);
                break;
            }
        }
        lagger.crash();
        int proposed = 0;
        while (proposed < behind) {
            if (!leader.core.isEstablished()) {
                fail("the leader lost its quorum while the learner was down");
            }
            while (proposed < behind && leader.core.outstanding() < MAX_OUTSTANDING - 1) {
                leader.propose();
                proposed++;
            }
            runUntil(now() + 1);
        }
        runUntil(now() + 5 * TICK);
        log("=== " + lagger.id + " restarts " + behind + " txns behind");
        scheduleClients();
        lagger.restart();
        long restartedAt = now();
        for (int i = 0; i < leaderCrashes; i++) {
            SimServer syncing = lagger;
            long start = syncing.core.lastZxid();
            // let it get part of the way, then kill whoever leads
            long wait = now() + maxTicks * TICK;
            while (now() < wait && (syncing.core.isSynced() || syncing.core.lastZxid() - start < 1_000)) {
                runUntil(now() + 1);
            }
            SimServer current = establishedLeaderOrNull();
            if (current == null || syncing.core.isSynced()) {
                break;
            }
            log("=== crash leader " + current.id + " while " + syncing.id + " is at "
                    + Zxid.toString(syncing.core.lastZxid()));
            current.crash();
            schedule(downFor, () -> {
                if (!current.alive) {
                    current.restart();
                }
            });
            runUntil(now() + TICK);
        }
        long deadline = restartedAt + maxTicks * TICK;
        while (now() < deadline && !liveness.converged()) {
            runUntil(now() + TICK);
        }
        if (!liveness.converged()) {
            fail("the learner " + lagger.id + " restarted " + behind + " txns behind did not catch up within "
                    + maxTicks + " ticks");
        }
        catchUpTicks = (now() - restartedAt) / TICK;
        liveness.checkLive();
    }

    /**
     * No random faults: clients write and read while the established leader pauses (a long GC), and the faults stop
     * {@code healAfter} later, which resumes it. Depending on that moment its followers gave up on it already, are
     * about to, or keep it; one leader must then settle and {@link SimLiveness#checkLive()} pass.
     */
    void runHealDuringLeaderPause(long healAfter) {
        stopFaults();
        startAll();
        scheduleClients();
        reads.start();
        liveness.awaitConverged(200, "the first election");
        establishedLeader().pause(2 * healAfter); // the heal resumes it first
        runUntil(now() + healAfter);
        heal();
        liveness.awaitSettled(now() + params.healTime());
        liveness.checkLive();
    }

    /** ticks from the far-behind learner's restart until every server served one leader */
    long catchUpTicks;

    private SimServer establishedLeader() {
        SimServer l = establishedLeaderOrNull();
        if (l == null) {
            fail("no established leader");
        }
        return l;
    }

    private SimServer establishedLeaderOrNull() {
        for (SimServer s : servers.values()) {
            if (s.running() && s.core.isEstablished()) {
                return s;
            }
        }
        return null;
    }

    int committedCount() {
        return invariants.committedCount();
    }

    // ================================================================== faults

    private void scheduleFault() {
        schedule(1 + rnd.nextInt(2 * params.meanFaultGap()), () -> {
            if (!faulty()) {
                return;
            }
            injectFault();
            scheduleFault();
        });
    }

    private void injectFault() {
        List<SimServer> all = new ArrayList<>(servers.values());
        SimServer s = all.get(rnd.nextInt(all.size()));
        int kind = rnd.nextInt(100);
        if (kind < 5) {
            if (s.alive) {
                s.epochWritesBeforeCrash = 0; // a crash in its next epoch write, if it makes one before the heal
            }
        } else if (kind < 25) {
            if (s.alive) {
                s.crash();
                long downFor = 20 + rnd.nextInt(40 * TICK);
                schedule(downFor, () -> {
                    if (!s.alive) {
                        s.restart();
                    }
                });
            }
        } else if (kind < 55) {
            SimServer t = all.get(rnd.nextInt(all.size()));
            if (t != s) {
                network.reset(s.id, t.id);
            }
        } else if (kind < 70) {
            partition();
        } else if (kind < 75) {
            if (s.alive) {
                s.compact();
            }
        } else if (kind < 80) {
            s.stallDisk(5 * TICK + rnd.nextInt(40 * TICK));
        } else if (kind < 85) {
            // pause the current leader: when it resumes, it leads until its next tick at least
            for (SimServer l : all) {
                if (l.running() && l.core.role() == Role.LEADING) {
                    l.pause(5 * TICK + rnd.nextInt(30 * TICK));
                    break;
                }
            }
        } else if (kind < 90) {
            // kill the current leader: the interesting case
            for (SimServer l : all) {
                if (l.alive && l.core.role() == Role.LEADING && rnd.nextBoolean()) {
                    l.crash();
                    schedule(20 + rnd.nextInt(30 * TICK), () -> {
                        if (!l.alive) {
                            l.restart();
                        }
                    });
                    break;
                }
            }
        } else if (kind < 95) {
            transferLeadership(rnd.nextBoolean() ? ZabNode.NO_LEADER : s.id);
        } else {
            // isolate one server for a while
            partition(s.id);
        }
    }

    /** asks the established leader, if any, to hand over to {@code target} (or the best follower) */
    private void transferLeadership(long target) {
        SimServer l = establishedLeaderOrNull();
        if (l == null) {
            return;
        }
        try {
            long chosen = l.core.transferLeadership(target);
            log("=== " + l.id + " hands over to " + chosen);
            transfers.began(chosen, l.core.epoch(), now());
        } catch (IllegalArgumentException e) {
            log("=== " + l.id + " refuses to hand over to " + target + ": " + e.getMessage());
            transfers.refused++;
        }
        l.process();
    }

    /**
     * No random faults: clients write all along while the leader is asked to hand over {@code count} times, in turn
     * to a named voter and to the best one; each transfer must elect its target, and
     * {@link SimLiveness#checkLive()} must pass.
     */
    void runTransfers(int count) {
        stopFaults();
        startAll();
        scheduleClients();
        for (int i = 0; i < count; i++) {
            liveness.awaitConverged(200, "transfer " + i);
            runUntil(now() + 1 + rnd.nextInt(5 * TICK));
            SimServer leader = establishedLeader();
            List<Long> others = new ArrayList<>(voters);
            others.remove(leader.id);
            int elected = transfers.targetElected;
            transferLeadership(i % 2 == 0 ? others.get(rnd.nextInt(others.size())) : ZabNode.NO_LEADER);
            liveness.awaitConverged(200, "transfer " + i);
            if (transfers.targetElected != elected + 1) {
                fail("transfer " + i + " from " + leader.id + " did not elect its target: " + transfers);
            }
        }
        liveness.checkLive();
    }

    /** what strikes a transfer in {@link #runTransfersUnderFault} */
    enum MidHandoverFault {
        CRASH_TARGET, CRASH_OLD_LEADER, CRASH_FOLLOWER, ISOLATE_TARGET, ISOLATE_OLD_LEADER, SPLIT,
        /** crashes in its next epoch write or the one after (the target's: accepting, then making current) */
        CRASH_TARGET_IN_EPOCH_WRITE, CRASH_OLD_LEADER_IN_EPOCH_WRITE, CRASH_FOLLOWER_IN_EPOCH_WRITE
    }

    /**
     * No random faults: clients write and read while the leader is asked {@code count} times to hand over to a named
     * voter, and {@code fault} strikes 0 to 40 time units after each request (before the handover, while the target
     * takes over, or just after). A crashed server restarts and a partition heals within 40 ticks; every invariant
     * must hold, the ensemble must converge on a leader after each one, and {@link SimLiveness#checkLive()} must pass.
     */
    void runTransfersUnderFault(int count, MidHandoverFault fault) {
        stopFaults();
        startAll();
        scheduleClients();
        reads.start();
        long healed = now();
        for (int i = 0; i < count; i++) {
            runUntil(Math.max(now(), healed)); // converged with a partition still in place proves little
            servers.values().forEach(s -> s.epochWritesBeforeCrash = -1); // each strikes in its own transfer
            liveness.awaitConverged(400, "transfer " + i);
            runUntil(now() + 1 + rnd.nextInt(5 * TICK));
            SimServer old = establishedLeader();
            List<Long> others = new ArrayList<>(voters);
            others.remove(old.id);
            long target = others.get(rnd.nextInt(others.size()));
            others.remove(target);
            transferLeadership(target);
            boolean inEpochWrite = fault.name().endsWith("_IN_EPOCH_WRITE");
            if (!inEpochWrite) {
                runUntil(now() + rnd.nextInt(40));
            }
            SimServer struck = servers.get(switch (fault) {
                case CRASH_TARGET, ISOLATE_TARGET, CRASH_TARGET_IN_EPOCH_WRITE -> target;
                case CRASH_OLD_LEADER, ISOLATE_OLD_LEADER, SPLIT, CRASH_OLD_LEADER_IN_EPOCH_WRITE -> old.id;
                case CRASH_FOLLOWER, CRASH_FOLLOWER_IN_EPOCH_WRITE -> others.get(rnd.nextInt(others.size()));
            });
            if (inEpochWrite) {
                struck.epochWritesBeforeCrash = rnd.nextInt(2);
                log("=== mid-handover: " + fault + " on " + struck.id + " after " + struck.epochWritesBeforeCrash);
                healed = now() + 10 * TICK;
                continue;
            }
            log("=== mid-handover: " + fault + " on " + struck.id);
            if (fault.name().startsWith("CRASH")) {
                if (struck.alive) {
                    struck.crash();
                    long downFor = 20 + rnd.nextInt(40 * TICK);
                    schedule(downFor, struck::restart);
                    healed = now() + downFor;
                }
            } else {
                Map<Long, Integer> groups = new HashMap<>();
                for (long id : servers.keySet()) {
                    // SPLIT: the old leader with the target, against the rest; otherwise one server alone
                    boolean apart = fault == MidHandoverFault.SPLIT ? id == old.id || id == target : id == struck.id;
                    groups.put(id, apart ? 1 : 0);
                }
                applyPartition(groups);
                long heal = 5 * TICK + rnd.nextInt(35 * TICK);
                schedule(heal, this::healPartition);
                healed = now() + heal;
            }
        }
        runUntil(Math.max(now(), healed));
        servers.values().forEach(s -> s.epochWritesBeforeCrash = -1);
        liveness.awaitConverged(400, "the last transfer");
        liveness.checkLive();
    }

    private void partition() {
        Map<Long, Integer> groups = new HashMap<>();
        for (long id : servers.keySet()) {
            groups.put(id, rnd.nextInt(2));
        }
        applyPartition(groups);
    }

    private void partition(long alone) {
        Map<Long, Integer> groups = new HashMap<>();
        for (long id : servers.keySet()) {
            groups.put(id, id == alone ? 1 : 0);
        }
        applyPartition(groups);
    }

    private void applyPartition(Map<Long, Integer> groups) {
        partitions++;
        int generation = ++partitionGeneration;
        log("partition " + groups);
        network.partition(groups);
        schedule(5 * TICK + rnd.nextInt(60 * TICK), () -> {
            if (partitionGeneration == generation && faulty()) {
                healPartition();
            }
        });
    }

    private void healPartition() {
        log("heal partition");
        network.unblockAll();
    }

    private void heal() {
        log("=== heal: no more faults");
        stopFaults();
        healPartition();
        for (SimServer s : servers.values()) {
            // a stall must not outlast the faults: a follower whose disk is stalled applies nothing new (and a
            // configuration of one or two voters needs the leader's own disk)
            s.endDiskStall();
            s.epochWritesBeforeCrash = -1;
            if (s.paused) {
                s.resume();
            }
            if (!s.alive) {
                s.restart();
            }
        }
        network.redialAll();
    }

    // ================================================================== clients

    // ================================================================== reconfiguration

    /**
     * Random faults as in {@link #run()}, while the established leader is asked now and then to change the membership
     * to a random one over every server (voters, observers, and servers in neither). A reconfig interrupted by a
     * crash or a partition must end committed or absent everywhere (the agreement of committed prefixes), and the
     * invariants hold across the changes: durability is judged on the last committed configuration.
     */
    void runReconfigs() {
        if (!dynamic) {
            throw new IllegalStateException("a static simulation");
        }
        startAll();
        scheduleClients();
        reads.start();
        scheduleFault();
        scheduleReconfig();
        runUntil(params.faultTime());
        heal();
        liveness.awaitSettled(now() + params.healTime());
        liveness.checkLive();
    }

    private void scheduleReconfig() {
        schedule(1 + rnd.nextInt(40 * TICK), () -> {
            if (!faulty()) {
                return;
            }
            SimServer l = establishedLeaderOrNull();
            if (l != null && !l.core.reconfigInFlight()) {
                proposeReconfig(l);
            }
            scheduleReconfig();
        });
    }

    private void proposeReconfig(SimServer l) {
        Set<Long> nextVoters = new java.util.TreeSet<>();
        Set<Long> nextObservers = new java.util.TreeSet<>();
        for (long id : servers.keySet()) {
            int r = rnd.nextInt(10);
            if (r < 6) {
                nextVoters.add(id);
            } else if (r < 8) {
                nextObservers.add(id);
            }
        }
        if (nextVoters.isEmpty()) {
            nextVoters.add(l.id);
            nextObservers.remove(l.id);
        }
        LogEntry e = TestMemberships.reconfig(l.core.nextZxid(), nextVoters, nextObservers);
        try {
            invariants.reconfigProposed(e);
            l.core.propose(e);
            reconfigsProposed++;
            log("=== " + l.id + " proposes configuration " + Zxid.toString(e.zxid()) + ": voters " + nextVoters
                    + ", observers " + nextObservers);
        } catch (IllegalStateException refused) {
            invariants.reconfigRefused(e);
            reconfigsRefused++;
            log("=== " + l.id + " refuses voters " + nextVoters + ": " + refused.getMessage());
        }
        l.process();
    }

    private void scheduleClients() {
        schedule(1 + rnd.nextInt(6 * TICK), () -> {
            for (SimServer s : servers.values()) {
                if (s.running() && s.core.isEstablished() && s.core.outstanding() < 50) {
                    int n = 1 + rnd.nextInt(3);
                    for (int i = 0; i < n; i++) {
                        s.propose();
                    }
                }
            }
            scheduleClients();
        });
    }

    // ================================================================== state machine encoding

    static byte[] encodeState(List<LogEntry> entries) {
        ZabCodec c = new ZabCodec(64 << 20);
        List<byte[]> parts = new ArrayList<>();
        int size = 4;
        for (LogEntry e : entries) {
            byte[] p = c.encode(new ZabMessage.Inform(e));
            parts.add(p);
            size += 4 + p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(parts.size());
        for (byte[] p : parts) {
            b.putInt(p.length).put(p);
        }
        return b.array();
    }

    static List<LogEntry> decodeState(byte[] state) {
        ZabCodec c = new ZabCodec(64 << 20);
        ByteBuffer b = ByteBuffer.wrap(state);
        int n = b.getInt();
        List<LogEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] p = new byte[b.getInt()];
            b.get(p);
            entries.add(((ZabMessage.Inform) c.decode(p)).entry());
        }
        return entries;
    }
}
