package io.corral.server.quorum;

import io.corral.log.LogEntry;
import io.corral.server.zab.ZabConfig;
import io.corral.server.zab.Zxid;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import static io.corral.server.quorum.ShellSimulation.TICK;
import static io.corral.server.quorum.ShellSimulation.TICK_MS;

/**
 * One simulated server: a {@link ZabQuorum}, built as {@code ZabQuorum.open} builds it, over its simulated log,
 * epochs, disk and links, run as the sequencer's loop runs it. It crashes (memory and the log's unsynced tail are
 * lost), restarts from its snapshot, takes local snapshots that purge its log, and takes clients' writes.
 */
final class ShellSimServer {

    /** writes a bulk client has not seen committed yet, at most */
    private static final int BULK_WINDOW = 500;

    private final ShellSimRun run;
    /** what its state machine reports goes there */
    private final SimStateMachine.Checks checks;
    private final ShellSimInvariants invariants;
    final long id;
    final SimReplicaLog log;
    final SimEpochs epochs;
    final SimStateMachine.Disk disk = new SimStateMachine.Disk();
    SimStateMachine host;
    SimNetwork net;
    ZabQuorum quorum;
    boolean alive;
    int incarnation;
    private boolean stepScheduled;
    private int lastTruncations;
    private long lastWritten;
    private int idlePolls;

    ShellSimServer(long id, ShellSimRun run, SimStateMachine.Checks checks, ShellSimInvariants invariants) {
        this.run = run;
        this.checks = checks;
        this.invariants = invariants;
        this.id = id;
        this.log = new SimReplicaLog(run.clock, run.rnd, run.params.logRoom(), this::wake);
        this.epochs = new SimEpochs(id);
    }

    /** (re)starts: the state of its snapshot, its log after it re-learned, a new shell over the same disk */
    void start() {
        alive = true;
        incarnation++;
        stepScheduled = false;
        run.log("start " + id);
        host = new SimStateMachine(id, disk, checks);
        long applied = disk.snapshotZxid();
        log.reopen(applied);
        host.recover(log);
        net = run.links.start(id, this::wake);
        ZabConfig config = new ZabConfig(id, run.voters, run.observers,
                run.params.initLimit() * ZabQuorum.TICKS_PER_TICKTIME,
                run.params.syncLimit() * ZabQuorum.TICKS_PER_TICKTIME,
                ZabQuorum.electionTimeoutTicks(TICK_MS), run.seed * 1_000_003L + id * 101 + incarnation,
                run.params.diffLimit(), ZabQuorum.MAX_OUTSTANDING, run.params.syncWindow(),
                run.params.syncWindowBytes(), run.params.snapChunk());
        quorum = new ZabQuorum(host, config, log, epochs, net, run.codec, run.clock, TICK_MS, applied);
        host.attach(quorum);
        int life = incarnation;
        run.clock.schedule(run.rnd.nextLong(TICK), () -> ticking(life));
        wake();
    }

    /** the sequencer's loop polls the quorum when its timer is due: here once per tick */
    private void ticking(int life) {
        if (alive && incarnation == life) {
            step();
            run.clock.schedule(TICK, () -> ticking(life));
        }
    }

    void wake() {
        if (alive && !stepScheduled) {
            stepScheduled = true;
            int life = incarnation;
            // the sequencer may be busy a while: what arrives meanwhile is handled in one poll
            long busy = run.rnd.nextBoolean() ? 0 : run.rnd.nextInt(500);
            run.clock.schedule(Math.max(busy, log.blockedUntil() - run.clock.now()), () -> {
                if (incarnation == life) {
                    stepScheduled = false;
                    step();
                }
            });
        }
    }

    /** one turn of the sequencer's loop: poll the quorum, apply what is committed */
    private void step() {
        if (!alive) {
            return;
        }
        if (log.blockedUntil() > run.clock.now()) {
            wake(); // waiting for its disk to finish a truncation
            return;
        }
        int work = quorum.poll();
        host.commit();
        if (net.hasEvents()) {
            wake();
        } else if (!quorum.idle()) {
            // something moved during the poll (a truncation made the log durable): the loop polls again at once
            idlePolls = work > 0 ? 0 : idlePolls + 1;
            if (idlePolls > 2) {
                run.fail("server " + id
                        + " polls and finds nothing, but its quorum is never idle: the sequencer spins");
            }
            wake();
        }
        if (log.truncations != lastTruncations) {
            lastTruncations = log.truncations;
            invariants.checkCommittedDurable("a truncation on " + id);
        }
    }

    boolean leadsAndServes() {
        return alive && quorum.leads() && quorum.serving();
    }

    /**
     * Whether clients as fast as can be may write more: the quorum has room, and a window of writes is not
     * committed yet (bulk writers wait for their answers, or links far smaller than the quorum's bound overflow)
     */
    boolean mayWrite() {
        return leadsAndServes() && quorum.hasRoom() && lastWritten - quorum.committedZxid() < BULK_WINDOW;
    }

    /** a client's write at the leader */
    LogEntry write() {
        LogEntry e = host.propose(id, 0, run.clock.getAsLong(), invariants.newBody());
        invariants.proposed(e);
        lastWritten = e.zxid();
        return e;
    }

    /** a client's write at a learner, passed to the leader */
    /** returns the write's body, as the leader will propose it */
    byte[] forward() {
        byte[] body = invariants.newBody();
        quorum.forward(body);
        return body;
    }

    void crash() {
        run.log("crash " + id);
        run.crashes++;
        alive = false;
        incarnation++;
        run.links.crash(net);
        log.crash();
        host = null;
        quorum = null;
        invariants.checkCommittedDurable("the crash of " + id);
    }

    void crashFor(long millis) {
        crash();
        run.clock.schedule(millis * SimClock.MILLI, () -> {
            if (!alive) {
                start();
            }
        });
    }

    /** a local snapshot of the applied state, then a purge of the log it covers */
    void snapshotAndPurge() {
        long zxid = host.takeLocalSnapshot();
        run.log("=== " + id + " snapshots at " + Zxid.toString(zxid) + " and purges its log up to it");
        run.purges++;
        log.purgeUpTo(zxid);
        invariants.checkCommittedDurable("a purge on " + id);
    }

    boolean holdsDurably(LogEntry e) {
        if (log.holdsDurably(e)) {
            return true;
        }
        List<LogEntry> snapshot = disk.snapshot;
        int i = Collections.binarySearch(snapshot, e, Comparator.comparingLong(LogEntry::zxid));
        return i >= 0 && snapshot.get(i).equals(e);
    }

    @Override
    public String toString() {
        if (!alive) {
            return "server " + id + " down; log " + Zxid.toString(log.firstZxid()) + ".."
                    + Zxid.toString(log.lastZxid()) + " durable " + Zxid.toString(log.durableZxid())
                    + ", snapshot " + Zxid.toString(disk.snapshotZxid()) + ", epochs " + epochs.accepted() + "/"
                    + epochs.current();
        }
        return "server " + id + " " + quorum.mode() + (quorum.serving() ? " serving" : "") + ": applied "
                + Zxid.toString(host.appliedZxid()) + ", committed " + Zxid.toString(quorum.committedZxid())
                + ", log " + Zxid.toString(log.firstZxid()) + ".." + Zxid.toString(log.lastZxid()) + " durable "
                + Zxid.toString(log.durableZxid()) + (log.stalled() ? " (disk stalled)" : "") + ", snapshot "
                + Zxid.toString(disk.snapshotZxid()) + ", epochs " + epochs.accepted() + "/" + epochs.current();
    }
}
