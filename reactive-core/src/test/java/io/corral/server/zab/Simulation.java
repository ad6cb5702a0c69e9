package io.corral.server.zab;

import io.corral.log.LogEntry;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deterministic simulation of an ensemble in one thread: every server runs a {@link ZabNode} over a
 * {@link SimStorage}, and this class plays their shells, their disks and the network between them, driven by one
 * seeded random generator, so that a seed replays exactly.
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
 * request at a live server must be answered (liveness).
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

    private final ZabCodec codec = new ZabCodec(64 << 20);
    private final Map<Long, Server> servers = new LinkedHashMap<>();
    private final Map<Long, Connection> connections = new HashMap<>();
    private final List<LogEntry> committed = new ArrayList<>();
    private final Map<Long, LogEntry> proposed = new HashMap<>();
    private final Map<Long, Long> leaderOfEpoch = new HashMap<>();
    /** read-index requests not answered yet, by request id */
    private final Map<Long, ReadRequest> reads = new LinkedHashMap<>();
    private long nextBody;
    private int partitionGeneration;
    private long nextReadId;
    private boolean reading = true;
    /**
     * The last committed configuration, by which durability is judged (every committed txn must be durable on a
     * quorum of its voters)
     */
    private Membership committedMembership;

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
        for (long id : voters) {
            servers.put(id, new Server(id));
        }
        for (long id : observers) {
            servers.put(id, new Server(id));
        }
        for (long i = 1; i <= spares; i++) {
            long id = params.voters() + params.observers() + i;
            servers.put(id, new Server(id));
        }
        committedMembership = new Membership(0, voters, observers);
        for (long a : servers.keySet()) {
            for (long b : servers.keySet()) {
                if (a < b) {
                    connections.put(key(a, b), new Connection(a, b));
                }
            }
        }
    }

    // ================================================================== running

    /** starts every server, connects every pair, and starts their ticks */
    private void startAll() {
        for (Server s : servers.values()) {
            s.start();
        }
        for (Connection c : connections.values()) {
            c.connect();
        }
        for (Server s : servers.values()) {
            schedule(rnd.nextInt(TICK), s::tick);
        }
    }

    /** runs the faults, then the healing, then checks liveness; throws AssertionError on any violation */
    void run() {
        startAll();
        scheduleClients();
        scheduleReaders();
        scheduleFault();
        runUntil(params.faultTime());
        heal();
        awaitSettled(now() + params.healTime());
        checkLive();
    }

    /**
     * A learner far behind, with no random faults: a follower is down while the leader commits {@code behind} txns;
     * it restarts while clients keep writing, and the leader crashes {@code leaderCrashes} times while the learner
     * is in the middle of its synchronisation (each crashed leader restarts {@code downFor} later; with 3 voters, a
     * new leader then needs the learner to finish to have a quorum). Every server must then serve one leader within
     * {@code maxTicks} ticks of the learner's restart, and {@link #checkLive()} must pass.
     */
    void runFarBehind(int behind, int leaderCrashes, long downFor, long maxTicks) {
        stopFaults();
        startAll();
        awaitConverged(200, "the first election");
        Server leader = establishedLeader();
        Server lagger = null;
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
            Server syncing = lagger;
            long start = syncing.core.lastZxid();
            // let it get part of the way, then kill whoever leads
            long wait = now() + maxTicks * TICK;
            while (now() < wait && (syncing.core.isSynced() || syncing.core.lastZxid() - start < 1_000)) {
                runUntil(now() + 1);
            }
            Server current = establishedLeaderOrNull();
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
        while (now() < deadline && !converged()) {
            runUntil(now() + TICK);
        }
        if (!converged()) {
            fail("the learner " + lagger.id + " restarted " + behind + " txns behind did not catch up within "
                    + maxTicks + " ticks");
        }
        catchUpTicks = (now() - restartedAt) / TICK;
        checkLive();
    }

    /**
     * No random faults: clients write and read while the established leader pauses (a long GC), and the faults stop
     * {@code healAfter} later, which resumes it. Depending on that moment its followers gave up on it already, are
     * about to, or keep it; one leader must then settle and {@link #checkLive()} pass.
     */
    void runHealDuringLeaderPause(long healAfter) {
        stopFaults();
        startAll();
        scheduleClients();
        scheduleReaders();
        awaitConverged(200, "the first election");
        establishedLeader().pause(2 * healAfter); // the heal resumes it first
        runUntil(now() + healAfter);
        heal();
        awaitSettled(now() + params.healTime());
        checkLive();
    }

    /** ticks from the far-behind learner's restart until every server served one leader */
    long catchUpTicks;

    private void awaitConverged(long ticks, String what) {
        long deadline = now() + ticks * TICK;
        while (now() < deadline && !converged()) {
            runUntil(now() + TICK);
        }
        if (!converged()) {
            fail("no convergence after " + what);
        }
    }

    private Server establishedLeader() {
        Server l = establishedLeaderOrNull();
        if (l == null) {
            fail("no established leader");
        }
        return l;
    }

    private Server establishedLeaderOrNull() {
        for (Server s : servers.values()) {
            if (s.running() && s.core.isEstablished()) {
                return s;
            }
        }
        return null;
    }

    int committedCount() {
        return committed.size();
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
        List<Server> all = new ArrayList<>(servers.values());
        Server s = all.get(rnd.nextInt(all.size()));
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
            Server t = all.get(rnd.nextInt(all.size()));
            if (t != s) {
                connection(s.id, t.id).reset();
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
            for (Server l : all) {
                if (l.running() && l.core.role() == Role.LEADING) {
                    l.pause(5 * TICK + rnd.nextInt(30 * TICK));
                    break;
                }
            }
        } else if (kind < 90) {
            // kill the current leader: the interesting case
            for (Server l : all) {
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
        Server l = establishedLeaderOrNull();
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
     * to a named voter and to the best one; each transfer must elect its target, and {@link #checkLive()} must pass.
     */
    void runTransfers(int count) {
        stopFaults();
        startAll();
        scheduleClients();
        for (int i = 0; i < count; i++) {
            awaitConverged(200, "transfer " + i);
            runUntil(now() + 1 + rnd.nextInt(5 * TICK));
            Server leader = establishedLeader();
            List<Long> others = new ArrayList<>(voters);
            others.remove(leader.id);
            int elected = transfers.targetElected;
            transferLeadership(i % 2 == 0 ? others.get(rnd.nextInt(others.size())) : ZabNode.NO_LEADER);
            awaitConverged(200, "transfer " + i);
            if (transfers.targetElected != elected + 1) {
                fail("transfer " + i + " from " + leader.id + " did not elect its target: " + transfers);
            }
        }
        checkLive();
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
     * must hold, the ensemble must converge on a leader after each one, and {@link #checkLive()} must pass.
     */
    void runTransfersUnderFault(int count, MidHandoverFault fault) {
        stopFaults();
        startAll();
        scheduleClients();
        scheduleReaders();
        long healed = now();
        for (int i = 0; i < count; i++) {
            runUntil(Math.max(now(), healed)); // converged with a partition still in place proves little
            servers.values().forEach(s -> s.epochWritesBeforeCrash = -1); // each strikes in its own transfer
            awaitConverged(400, "transfer " + i);
            runUntil(now() + 1 + rnd.nextInt(5 * TICK));
            Server old = establishedLeader();
            List<Long> others = new ArrayList<>(voters);
            others.remove(old.id);
            long target = others.get(rnd.nextInt(others.size()));
            others.remove(target);
            transferLeadership(target);
            boolean inEpochWrite = fault.name().endsWith("_IN_EPOCH_WRITE");
            if (!inEpochWrite) {
                runUntil(now() + rnd.nextInt(40));
            }
            Server struck = servers.get(switch (fault) {
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
        awaitConverged(400, "the last transfer");
        checkLive();
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
        for (Connection c : connections.values()) {
            c.setBlocked(!groups.get(c.a).equals(groups.get(c.b)));
        }
        schedule(5 * TICK + rnd.nextInt(60 * TICK), () -> {
            if (partitionGeneration == generation && faulty()) {
                healPartition();
            }
        });
    }

    private void healPartition() {
        log("heal partition");
        for (Connection c : connections.values()) {
            c.setBlocked(false);
        }
    }

    private void heal() {
        log("=== heal: no more faults");
        stopFaults();
        healPartition();
        for (Server s : servers.values()) {
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
        for (Connection c : connections.values()) {
            if (!c.up) {
                c.scheduleReconnect();
            }
        }
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
        scheduleReaders();
        scheduleFault();
        scheduleReconfig();
        runUntil(params.faultTime());
        heal();
        awaitSettled(now() + params.healTime());
        checkLive();
    }

    private void scheduleReconfig() {
        schedule(1 + rnd.nextInt(40 * TICK), () -> {
            if (!faulty()) {
                return;
            }
            Server l = establishedLeaderOrNull();
            if (l != null && !l.core.reconfigInFlight()) {
                proposeReconfig(l);
            }
            scheduleReconfig();
        });
    }

    private void proposeReconfig(Server l) {
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
            proposed.put(e.zxid(), e);
            l.core.propose(e);
            reconfigsProposed++;
            log("=== " + l.id + " proposes configuration " + Zxid.toString(e.zxid()) + ": voters " + nextVoters
                    + ", observers " + nextObservers);
        } catch (IllegalStateException refused) {
            proposed.remove(e.zxid());
            reconfigsRefused++;
            log("=== " + l.id + " refuses voters " + nextVoters + ": " + refused.getMessage());
        }
        l.process();
    }

    private void scheduleClients() {
        schedule(1 + rnd.nextInt(6 * TICK), () -> {
            for (Server s : servers.values()) {
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

    /**
     * A read-index request, with what was true when it was made.
     *
     * @param knownCommitted the highest zxid whose commit any server knew of
     * @param acceptedByQuorum the highest epoch that a quorum of voters had (durably) accepted
     * @param maxEstablished the highest epoch whose leader had been established
     */
    private record ReadRequest(long server, int incarnation, long epoch, long knownCommitted, long acceptedByQuorum,
                               long maxEstablished, long at) {
    }

    private void scheduleReaders() {
        schedule(1 + rnd.nextInt(2 * TICK), () -> {
            if (!reading) {
                return;
            }
            for (Server s : servers.values()) {
                if (s.running() && s.core.isEstablished() && s.core.pendingReadIndexes() < 100) {
                    s.readIndex();
                }
            }
            scheduleReaders();
        });
    }

    private long knownCommitted() {
        long known = committed.isEmpty() ? 0 : committed.get(committed.size() - 1).zxid();
        for (Server s : servers.values()) {
            if (s.alive) {
                known = Math.max(known, s.core.committedZxid());
            }
        }
        return known;
    }

    /** the highest epoch that at least a quorum of voters has accepted */
    private long acceptedByQuorum() {
        long[] accepted = committedMembership.voters().stream().mapToLong(v -> servers.get(v).storage.acceptedEpoch())
                .sorted().toArray();
        return accepted[accepted.length - (accepted.length / 2 + 1)];
    }

    private void readConfirmed(Server s, ZabOutput.ReadIndex ri) {
        ReadRequest r = answered(s, ri.requestId());
        readsConfirmed++;
        log(s.id + " read index " + ri.requestId() + " = " + Zxid.toString(ri.index()) + " asked at " + r.at());
        if (ri.index() < r.knownCommitted()) {
            fail("stale read index: request " + ri.requestId() + " confirmed at " + Zxid.toString(ri.index())
                    + " by " + s.id + " (epoch " + r.epoch() + "), but " + Zxid.toString(r.knownCommitted())
                    + " was known committed when it was asked for at " + r.at());
        }
        if (r.acceptedByQuorum() > r.epoch()) {
            fail("read index " + ri.requestId() + " confirmed by " + s.id + " in epoch " + r.epoch()
                    + ", asked for at " + r.at() + " when a quorum had accepted epoch " + r.acceptedByQuorum());
        }
        if (r.maxEstablished() > r.epoch()) {
            fail("read index " + ri.requestId() + " confirmed by " + s.id + " in epoch " + r.epoch()
                    + ", asked for at " + r.at() + " when epoch " + r.maxEstablished() + " was established");
        }
        if (ri.index() > s.core.committedZxid()) {
            fail("read index " + Zxid.toString(ri.index()) + " above the leader's committed "
                    + Zxid.toString(s.core.committedZxid()));
        }
    }

    private void readFailed(Server s, ZabOutput.ReadIndexFailed rf) {
        answered(s, rf.requestId());
        readsFailed++;
    }

    /** the request, which must be pending and asked of this server in this life; it is answered now */
    private ReadRequest answered(Server s, long requestId) {
        ReadRequest r = reads.remove(requestId);
        if (r == null) {
            fail("server " + s.id + " answers read-index request " + requestId + ", which is not pending");
        }
        if (r.server() != s.id || r.incarnation() != s.incarnation) {
            fail("server " + s.id + " answers read-index request " + requestId + " asked of " + r.server()
                    + " in another life");
        }
        return r;
    }

    /** every request asked of a server that is still in the same life has been answered */
    private void checkReadsAnswered() {
        for (Map.Entry<Long, ReadRequest> e : reads.entrySet()) {
            ReadRequest r = e.getValue();
            Server s = servers.get(r.server());
            if (s.alive && s.incarnation == r.incarnation()) {
                fail("read-index request " + e.getKey() + " asked of " + r.server() + " at " + r.at()
                        + " never answered");
            }
        }
    }

    // ================================================================== liveness

    /**
     * Runs until one leader has kept every server converged on it (see {@link #converged()}) for syncLimit + 1 ticks;
     * fails if that takes beyond {@code deadline}. One converged instant proves little right after the heal: a leader that resumes from
     * a pause is still followed by servers whose syncLimit ran out while it was paused, and which drop it at their
     * next tick; within syncLimit ticks every timer started before the window has fired.
     */
    private void awaitSettled(long deadline) {
        ZabNode stable = null; // a node and its epoch: a leader that leads again after a restart is another one
        long stableEpoch = -1;
        long since = now();
        while (now() < deadline) {
            Server leader = convergedLeader();
            if (leader == null || leader.core != stable || leader.core.epoch() != stableEpoch) {
                stable = leader == null ? null : leader.core;
                stableEpoch = leader == null ? -1 : leader.core.epoch();
                since = now();
            } else if (now() - since > SYNC_LIMIT * TICK) {
                log("=== settled on leader " + leader.id + " in epoch " + stableEpoch);
                return;
            }
            runUntil(now() + TICK);
        }
        fail("no leader kept every server converged on it for " + (SYNC_LIMIT + 1) + " ticks after healing");
    }

    private boolean converged() {
        return convergedLeader() != null;
    }

    /** the one established leader that every other server follows, synchronised; null if there is none */
    private Server convergedLeader() {
        Server leader = null;
        for (Server s : servers.values()) {
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
        for (Server s : servers.values()) {
            if (s != leader && !removed(s) && (!s.core.isSynced() || s.core.leaderId() != leader.id)) {
                return null;
            }
        }
        return leader;
    }

    private boolean allApplied(long zxid) {
        for (Server s : servers.values()) {
            if (!removed(s) && s.appliedZxid() < zxid) {
                return false;
            }
        }
        return true;
    }

    /** a server a committed reconfig removed: it serves no more, and joins no leader */
    private static boolean removed(Server s) {
        return s.core.memberships().removed();
    }

    private void checkLive() {
        Server leader = null;
        for (Server s : servers.values()) {
            if (s.core.isEstablished()) {
                if (leader != null) {
                    fail("two established leaders after healing: " + leader.id + " and " + s.id);
                }
                leader = s;
            }
        }
        if (leader == null) {
            fail("no established leader after healing");
        }
        for (Server s : servers.values()) {
            if (s != leader && removed(s)) {
                if (s.core.role() != Role.LOOKING) {
                    fail("server " + s.id + " was removed but is " + s.core.role());
                }
                continue;
            }
            if (s != leader && (!s.core.isSynced() || s.core.leaderId() != leader.id)) {
                fail("server " + s.id + " did not join leader " + leader.id + " after healing");
            }
        }
        // new proposals still commit everywhere, and a read index after them covers them
        reading = false;
        long last = 0;
        for (int i = 0; i < 5; i++) {
            last = leader.propose().zxid();
        }
        runUntil(now() + 10 * TICK);
        // a configuration of one voter commits at once, and its informs may overflow an observer's link (which
        // resets, and the observer joins again): give that the time of a rejoin
        for (long until = now() + 30 * TICK; dynamic && now() < until && !allApplied(last); ) {
            runUntil(now() + TICK);
        }
        if (!leader.core.isEstablished()) {
            fail("leader " + leader.id + " stopped leading during the liveness check: " + leader.core.lastChange());
        }
        long finalRead = leader.readIndex();
        runUntil(now() + 5 * TICK);
        if (reads.containsKey(finalRead)) {
            fail("the final read index at " + leader.id + " was not confirmed");
        }
        checkReadsAnswered();
        for (Server s : servers.values()) {
            if (removed(s)) {
                continue;
            }
            if (s.appliedZxid() < last) {
                fail("server " + s.id + " applied only up to " + Zxid.toString(s.appliedZxid()) + ", not "
                        + Zxid.toString(last));
            }
            // once it applied everything: (before the first reconfig, a spare's is its own: the voters and itself)
            Membership own = s.core.membership();
            if (dynamic && (committedMembership.version() > 0 ? !own.equals(committedMembership) : own.version() != 0)) {
                fail("server " + s.id + " has configuration " + s.core.membership() + ", not the committed "
                        + committedMembership);
            }
        }
        if (committed.isEmpty()) {
            fail("nothing committed");
        }
    }

    // ================================================================== invariants

    @Override
    void fail(String what) {
        StringBuilder sb = new StringBuilder("seed ").append(seed).append(" at ").append(now()).append(": ")
                .append(what);
        for (Server s : servers.values()) {
            sb.append("\n  ").append(s.alive ? s.core.toString() : "server " + s.id + " down")
                    .append(" applied=").append(Zxid.toString(s.appliedZxid()));
        }
        throw new AssertionError(sb.toString());
    }

    /** server {@code s} applied {@code e} as its {@code index}-th txn */
    private void checkApplied(Server s, int index, LogEntry e) {
        if (index < committed.size()) {
            if (!committed.get(index).equals(e)) {
                fail("server " + s.id + " applied " + e + " where " + committed.get(index) + " was committed");
            }
            return;
        }
        if (!committed.isEmpty() && committed.get(committed.size() - 1).zxid() >= e.zxid()) {
            fail("committed zxids out of order: " + e);
        }
        committed.add(e);
        // a txn commits with a quorum of the configuration in force; a reconfig txn with one of its own too
        checkDurableOnQuorum(e, committedMembership, "committed");
        Membership next = dynamic ? TestMemberships.DECODER.decode(e) : null;
        if (next != null) {
            checkDurableOnQuorum(e, next, "committed reconfig");
            log("=== configuration " + Zxid.toString(e.zxid()) + " committed: " + next);
            committedMembership = next;
            reconfigsCommitted++;
        }
    }

    private void checkDurableOnQuorum(LogEntry e, Membership m, String what) {
        int holders = 0;
        for (long v : m.voters()) {
            if (servers.get(v).storage.holdsDurably(e)) {
                holders++;
            }
        }
        if (holders < m.quorum()) {
            fail(what + " " + e + " is durable on only " + holders + " voters of " + m);
        }
    }

    /** after anything that loses or removes data: every committed txn is still durable on a quorum of voters */
    private void checkCommittedDurable(String after) {
        for (LogEntry e : committed) {
            checkDurableOnQuorum(e, committedMembership, "after " + after + ", committed");
        }
    }

    // ================================================================== servers

    private static long key(long a, long b) {
        return Math.min(a, b) * 1_000 + Math.max(a, b);
    }

    private Connection connection(long a, long b) {
        return connections.get(key(a, b));
    }

    private final class Server {
        final long id;
        final SimStorage storage = new SimStorage();
        final InMemorySnapshots snapshots = new InMemorySnapshots();
        ZabNode core;
        boolean alive;
        /** alive but running nothing (a long GC pause): ticks are skipped, messages and disk callbacks wait */
        boolean paused;
        /** in an epoch write that a crash ends (the shell's thread waits on the disk): runs nothing meanwhile */
        boolean inEpochWrite;
        /** the epoch writes it makes before the one a crash strikes, armed by a fault; -1 when not armed */
        int epochWritesBeforeCrash = -1;
        private final List<Runnable> deferred = new ArrayList<>();
        int incarnation;
        List<LogEntry> applied = new ArrayList<>();
        boolean flushPending;
        /** the disk makes nothing durable before this time */
        long diskStalledUntil;
        /** the configuration it persisted last (ActivateMembership): on its disk, so a restart begins from it */
        Membership persistedMembership;

        Server(long id) {
            this.id = id;
        }

        long appliedZxid() {
            return applied.isEmpty() ? 0 : applied.get(applied.size() - 1).zxid();
        }

        void start() {
            alive = true;
            incarnation++;
            // a spare is started with the voters and itself
            Set<Long> staticVoters = new LinkedHashSet<>(voters);
            if (!observers.contains(id)) {
                staticVoters.add(id);
            }
            ZabConfig config = new ZabConfig(id, staticVoters, observers, 10, SYNC_LIMIT, 2,
                    seed * 1_000_003L + id * 101 + incarnation, params.diffLimit(), MAX_OUTSTANDING,
                    params.syncWindow(), params.syncWindowBytes(), params.snapChunk());
            Reconfiguration reconfiguration = !dynamic ? null : new Reconfiguration(
                    persistedMembership != null ? persistedMembership : Membership.of(config), TestMemberships.DECODER);
            core = new ZabNode(config, storage, storage.snapshotZxid(), reconfiguration);
            process();
        }

        boolean running() {
            return alive && !paused && !inEpochWrite;
        }

        void pause(long duration) {
            log("pause " + id + " for " + duration);
            pauses++;
            paused = true;
            int inc = incarnation;
            schedule(duration, () -> {
                if (paused && incarnation == inc) {
                    resume();
                }
            });
        }

        void resume() {
            log("resume " + id);
            paused = false;
            // what happened to its connections meanwhile, it learns now
            for (Connection c : connections.values()) {
                if ((c.a == id || c.b == id) && !c.up) {
                    core.disconnected(c.a == id ? c.b : c.a);
                }
            }
            process();
            List<Runnable> waiting = new ArrayList<>(deferred);
            deferred.clear();
            waiting.forEach(Runnable::run);
            for (Connection c : connections.values()) {
                if (c.a == id || c.b == id) {
                    if (c.up) {
                        c.channel(c.a == id ? c.b : c.a).pump();
                    } else if (faulty()) {
                        c.scheduleReconnect();
                    }
                }
            }
        }

        /** runs {@code action} now, or at resume if paused; never in a later life */
        private void whenRunning(int inc, Runnable action) {
            if (!alive || incarnation != inc) {
                return;
            }
            if (paused || inEpochWrite) {
                deferred.add(() -> whenRunning(inc, action));
            } else {
                action.run();
            }
        }

        void crash() {
            log("crash " + id);
            crashes++;
            alive = false;
            paused = false;
            inEpochWrite = false;
            epochWritesBeforeCrash = -1;
            deferred.clear();
            incarnation++;
            flushPending = false;
            storage.crash();
            snapshots.clear();
            core = null;
            applied = new ArrayList<>();
            for (Connection c : connections.values()) {
                if (c.a == id || c.b == id) {
                    c.reset();
                }
            }
            checkCommittedDurable("crash of " + id);
        }

        void restart() {
            log("restart " + id);
            applied = new ArrayList<>(storage.snapshot());
            start();
            for (Connection c : connections.values()) {
                if ((c.a == id || c.b == id) && !c.up) {
                    c.scheduleReconnect();
                }
            }
        }

        void compact() {
            log("compact " + id + " at " + Zxid.toString(appliedZxid()));
            storage.compact(applied);
            checkCommittedDurable("compaction on " + id);
        }

        void tick() {
            if (running()) {
                core.tick();
                process();
            }
            schedule(TICK, this::tick);
        }

        LogEntry propose() {
            long zxid = core.nextZxid();
            long body = nextBody++;
            LogEntry e = new LogEntry(zxid, id, (int) body, now(), 1, ByteBuffer.allocate(8).putLong(body).array());
            if (proposed.put(zxid, e) != null) {
                fail("zxid " + Zxid.toString(zxid) + " proposed twice");
            }
            core.propose(e);
            process();
            return e;
        }

        long readIndex() {
            long requestId = nextReadId++;
            long maxEstablished = leaderOfEpoch.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
            reads.put(requestId, new ReadRequest(id, incarnation, core.epoch(), knownCommitted(), acceptedByQuorum(),
                    maxEstablished, now()));
            core.readIndex(requestId);
            process();
            return requestId;
        }

        void receive(long from, byte[] bytes) {
            ZabMessage m = codec.decode(bytes);
            core.receive(from, m);
            process();
        }

        /** performs the node's outputs, as the shell would */
        void process() {
            List<ZabOutput> outs = core.drain().outputs();
            List<Long> snapshotRequests = null;
            for (ZabOutput o : outs) {
                if (o instanceof ZabOutput.Send s) {
                    send(s.to(), s.message());
                } else if (o instanceof ZabOutput.Persist p) {
                    LogEntry known = proposed.get(p.entry().zxid());
                    if (!p.entry().equals(known)) {
                        fail("server " + id + " persists " + p.entry() + " but " + known + " was proposed");
                    }
                    storage.append(p.entry());
                    scheduleFlush();
                } else if (o instanceof ZabOutput.Truncate t) {
                    log(id + " truncate after " + Zxid.toString(t.afterZxid()));
                    truncations++;
                    if (t.afterZxid() < appliedZxid()) {
                        fail("server " + id + " told to truncate below its applied " + Zxid.toString(appliedZxid()));
                    }
                    storage.truncate(t.afterZxid());
                    checkCommittedDurable("truncation on " + id);
                } else if (o instanceof ZabOutput.PersistEpochs pe) {
                    if (pe.acceptedEpoch() < storage.acceptedEpoch() || pe.currentEpoch() < storage.currentEpoch()
                            || pe.currentEpoch() > pe.acceptedEpoch()) {
                        fail("server " + id + " epochs " + storage.acceptedEpoch() + "/" + storage.currentEpoch()
                                + " -> " + pe.acceptedEpoch() + "/" + pe.currentEpoch());
                    }
                    if (epochWritesBeforeCrash == 0) {
                        crashInEpochWrite(pe);
                        return; // the rest of the drain never happens
                    }
                    epochWritesBeforeCrash = Math.max(-1, epochWritesBeforeCrash - 1);
                    storage.persistEpochs(pe.acceptedEpoch(), pe.currentEpoch());
                } else if (o instanceof ZabOutput.Commit c) {
                    apply(c.zxid());
                } else if (o instanceof ZabOutput.ActivateMembership am) {
                    log(id + " activates " + am.membership());
                    persistedMembership = am.membership();
                } else if (o instanceof ZabOutput.TakeSnapshot ts) {
                    if (snapshotRequests == null) {
                        snapshotRequests = new ArrayList<>();
                    }
                    snapshotRequests.add(ts.peer());
                } else if (o instanceof ZabOutput.SendSnapshotChunk sc) {
                    send(sc.peer(), snapshots.chunk(sc));
                } else if (o instanceof ZabOutput.ReceiveSnapshot rs) {
                    snapshots.receive(rs);
                } else if (o instanceof ZabOutput.SnapshotChunk ch) {
                    snapshots.received(ch);
                } else if (o instanceof ZabOutput.InstallSnapshot is) {
                    install(is.zxid(), snapshots.install());
                } else if (o instanceof ZabOutput.RoleChange rc) {
                    log(id + " -> " + rc + " (" + core.lastChange() + ")");
                    if (rc.role() == Role.LOOKING) {
                        elections++;
                    }
                    if (core.lastChange().startsWith("handed over")) {
                        transfers.handedOverOne(); // the old leader looks, or follows its target at once
                    }
                } else if (o instanceof ZabOutput.HandoverAbandoned ha) {
                    log(id + " abandons the transfer to " + ha.target() + ": " + ha.why());
                    transfers.abandonedOne();
                } else if (o instanceof ZabOutput.HandingOver ho) {
                    if (core.isEstablished()) {
                        fail("server " + id + " hands over to " + ho.target() + " but may still propose");
                    }
                } else if (o instanceof ZabOutput.ReadIndex ri) {
                    readConfirmed(this, ri);
                } else if (o instanceof ZabOutput.ReadIndexFailed rf) {
                    readFailed(this, rf);
                } else if (o instanceof ZabOutput.Serving sv) {
                    log(id + " serving " + sv);
                    if (sv.role() == Role.LEADING) {
                        Long before = leaderOfEpoch.putIfAbsent(sv.epoch(), id);
                        if (before != null && before != id) {
                            fail("epoch " + sv.epoch() + " established by " + before + " and " + id);
                        }
                        transfers.established(id, sv.epoch(), now());
                    }
                }
            }
            if (snapshotRequests != null) {
                // the shell serves them after applying every commit of the drain
                long zxid = appliedZxid();
                byte[] state = encodeState(applied);
                int inc = incarnation;
                for (long peer : snapshotRequests) {
                    schedule(1 + rnd.nextInt(3 * TICK), () -> whenRunning(inc, () -> {
                        snapshots.taken(peer, zxid, state);
                        core.snapshotTaken(peer, zxid, state.length);
                        process();
                    }));
                }
            }
        }

        /**
         * The epoch write takes a while, what was sent before it goes on its way, and a crash ends it, leaving
         * what a crash can leave of {@code EpochFile}'s write: the epochs before it or the whole write (it lands in
         * one slot, whole or not at all), never a mix; nothing after it was done.
         */
        private void crashInEpochWrite(ZabOutput.PersistEpochs pe) {
            log(id + " crashes while it writes " + pe);
            epochWriteCrashes++;
            epochWritesBeforeCrash = -1;
            inEpochWrite = true;
            int inc = incarnation;
            schedule(1 + rnd.nextInt(2 * TICK), () -> {
                if (incarnation != inc) {
                    return;
                }
                if (rnd.nextBoolean()) {
                    storage.persistEpochs(pe.acceptedEpoch(), pe.currentEpoch());
                }
                crash();
                schedule(20 + rnd.nextInt(10 * TICK), () -> {
                    if (!alive) {
                        restart();
                    }
                });
            });
        }

        void stallDisk(long duration) {
            log("disk of " + id + " stalls for " + duration);
            diskStalls++;
            diskStalledUntil = now() + duration;
        }

        /** the disk works again at once (a flush waiting for the stall to end happens now()) */
        void endDiskStall() {
            if (diskStalledUntil <= now()) {
                return;
            }
            diskStalledUntil = now();
            int inc = incarnation;
            schedule(1, () -> whenRunning(inc, () -> {
                if (storage.hasVolatileTail()) {
                    core.persisted(storage.flush());
                    process();
                }
            }));
        }

        private void scheduleFlush() {
            if (flushPending) {
                return;
            }
            flushPending = true;
            int inc = incarnation;
            schedule(Math.max(1 + rnd.nextInt(8), diskStalledUntil - now()), () -> whenRunning(inc, () -> {
                flushPending = false;
                if (storage.hasVolatileTail()) {
                    core.persisted(storage.flush());
                    process();
                }
            }));
        }

        private void apply(long zxid) {
            if (zxid <= appliedZxid()) {
                fail("server " + id + " commit " + Zxid.toString(zxid) + " not above applied "
                        + Zxid.toString(appliedZxid()));
            }
            var it = storage.readAfter(appliedZxid());
            while (it.hasNext()) {
                LogEntry e = it.next();
                if (e.zxid() > zxid) {
                    break;
                }
                checkApplied(this, applied.size(), e);
                applied.add(e);
            }
            if (appliedZxid() != zxid) {
                fail("server " + id + " commit " + Zxid.toString(zxid) + " but its log reaches only "
                        + Zxid.toString(appliedZxid()));
            }
        }

        private void install(long zxid, byte[] state) {
            snapshotsSent++;
            List<LogEntry> entries = decodeState(state);
            long last = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).zxid();
            if (last != zxid) {
                fail("snapshot at " + Zxid.toString(zxid) + " ends at " + Zxid.toString(last));
            }
            for (int i = 0; i < entries.size(); i++) {
                checkApplied(this, i, entries.get(i));
            }
            log(id + " install snapshot at " + Zxid.toString(zxid));
            applied = new ArrayList<>(entries);
            storage.installSnapshot(zxid, entries);
            checkCommittedDurable("snapshot install on " + id);
        }

        private void send(long to, ZabMessage m) {
            messages++;
            if (m instanceof ZabMessage.HandoverSync) {
                transfers.shortcuts++;
            }
            Connection c = connection(id, to);
            if (c.up) {
                c.channel(id).enqueue(codec.encode(m));
            }
        }
    }

    // ================================================================== network

    private final class Connection {
        final long a;
        final long b;
        boolean up;
        boolean blocked;
        int generation;
        final Channel ab;
        final Channel ba;

        Connection(long a, long b) {
            this.a = a;
            this.b = b;
            this.ab = new Channel(this, a, b);
            this.ba = new Channel(this, b, a);
        }

        Channel channel(long from) {
            return from == a ? ab : ba;
        }

        boolean canConnect() {
            return !blocked && servers.get(a).running() && servers.get(b).running();
        }

        void connect() {
            if (up || !canConnect()) {
                return;
            }
            up = true;
            generation++;
            log("connect " + a + "-" + b);
            Server sa = servers.get(a);
            Server sb = servers.get(b);
            sa.core.connected(b);
            sa.process();
            sb.core.connected(a);
            sb.process();
        }

        void scheduleReconnect() {
            schedule(1 + rnd.nextInt(3 * TICK), this::connect);
        }

        void reset() {
            if (!up) {
                return;
            }
            resets++;
            up = false;
            generation++;
            ab.clear();
            ba.clear();
            log("reset " + a + "-" + b);
            for (Server s : new Server[] {servers.get(a), servers.get(b)}) {
                if (s.running()) { // a paused server learns it when it resumes
                    s.core.disconnected(s.id == a ? b : a);
                    s.process();
                }
            }
            if (faulty()) {
                scheduleReconnect();
            }
        }

        void setBlocked(boolean blocked) {
            if (this.blocked == blocked) {
                return;
            }
            this.blocked = blocked;
            if (blocked) {
                // held messages until TCP gives up on the connection
                int gen = generation;
                schedule(2 * TICK + rnd.nextInt(8 * TICK), () -> {
                    if (this.blocked && generation == gen) {
                        reset();
                    }
                });
            } else if (up) {
                ab.pump();
                ba.pump();
            } else {
                scheduleReconnect();
            }
        }
    }

    /** one direction of a connection: FIFO, with a random delay per message */
    private final class Channel {
        final Connection connection;
        final long from;
        final long to;
        final ArrayDeque<long[]> due = new ArrayDeque<>();
        final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        long lastDue;
        boolean pumpScheduled;
        /** a message did not fit: nothing more goes out until the connection resets */
        boolean overflowed;

        Channel(Connection connection, long from, long to) {
            this.connection = connection;
            this.from = from;
            this.to = to;
        }

        void enqueue(byte[] message) {
            if (overflowed) {
                return; // lost with the connection, which resets at once
            }
            if (queue.size() >= params.linkCapacity()) {
                overflows++;
                overflowed = true;
                if (traced()) {
                    Map<String, Integer> kinds = new java.util.TreeMap<>();
                    for (byte[] q : queue) {
                        kinds.merge(codec.decode(q).getClass().getSimpleName(), 1, Integer::sum);
                    }
                    log(from + " -> " + to + " link full (" + kinds + "): reset");
                } else {
                    log(from + " -> " + to + " link full: reset");
                }
                int gen = connection.generation;
                schedule(0, () -> {
                    if (connection.generation == gen) {
                        connection.reset();
                        if (!faulty()) {
                            connection.scheduleReconnect(); // as the shell redials, faults or not
                        }
                    }
                });
                return;
            }
            long delay = rnd.nextInt(10) < 8 ? 1 + rnd.nextInt(4) : 5 + rnd.nextInt(20);
            lastDue = Math.max(lastDue, now() + delay);
            due.add(new long[] {lastDue});
            queue.add(message);
            pump();
        }

        void clear() {
            due.clear();
            queue.clear();
            overflowed = false;
        }

        void pump() {
            if (pumpScheduled || queue.isEmpty() || connection.blocked || !connection.up) {
                return;
            }
            pumpScheduled = true;
            int gen = connection.generation;
            schedule(Math.max(0, due.peek()[0] - now()), () -> {
                pumpScheduled = false;
                if (connection.generation != gen || !connection.up) {
                    pump(); // scheduled for an earlier connection: what the current one holds still goes
                    return;
                }
                if (connection.blocked) {
                    return;
                }
                if (servers.get(to).paused || servers.get(to).inEpochWrite) {
                    return; // resume pumps it again
                }
                due.poll();
                byte[] m = queue.poll();
                Server target = servers.get(to);
                if (traced()) {
                    log(from + " => " + to + " " + codec.decode(m));
                }
                target.receive(from, m);
                pump();
            });
        }
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
