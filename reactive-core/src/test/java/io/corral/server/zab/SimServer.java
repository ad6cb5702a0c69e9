package io.corral.server.zab;

import io.corral.log.LogEntry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.corral.server.zab.Simulation.MAX_OUTSTANDING;
import static io.corral.server.zab.Simulation.SYNC_LIMIT;
import static io.corral.server.zab.Simulation.TICK;

/**
 * One simulated server: a {@link ZabNode} over a {@link SimStorage}, and the shell around it, which performs the
 * node's outputs as the real one would: it sends, persists (a flush some time later, or after a disk stall), applies
 * commits, takes and installs snapshots. It crashes (the volatile log tail and all memory are lost), restarts, pauses
 * (a long GC), and crashes in the middle of an epoch write.
 */
final class SimServer {

    final long id;
    private final SimRun run;
    private final SimNetwork network;
    private final SimInvariants invariants;
    private final SimReads reads;
    final SimStorage storage = new SimStorage();
    private final InMemorySnapshots snapshots = new InMemorySnapshots();
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
    private List<LogEntry> applied = new ArrayList<>();
    private boolean flushPending;
    /** numbers the scheduled flushes, so that ending a stall can replace the one waiting for its end */
    private int flushes;
    /** the disk makes nothing durable before this time */
    private long diskStalledUntil;
    /** the configuration it persisted last (ActivateMembership): on its disk, so a restart begins from it */
    private Membership persistedMembership;

    SimServer(long id, SimRun run, SimNetwork network, SimInvariants invariants, SimReads reads) {
        this.id = id;
        this.run = run;
        this.network = network;
        this.invariants = invariants;
        this.reads = reads;
    }

    long appliedZxid() {
        return applied.isEmpty() ? 0 : applied.get(applied.size() - 1).zxid();
    }

    void start() {
        alive = true;
        incarnation++;
        // a spare is started with the voters and itself
        Set<Long> staticVoters = new LinkedHashSet<>(run.voters);
        if (!run.observers.contains(id)) {
            staticVoters.add(id);
        }
        ZabConfig config = new ZabConfig(id, staticVoters, run.observers, 10, SYNC_LIMIT, 2,
                run.seed * 1_000_003L + id * 101 + incarnation, run.params.diffLimit(), MAX_OUTSTANDING,
                run.params.syncWindow(), run.params.syncWindowBytes(), run.params.snapChunk());
        Reconfiguration reconfiguration = !run.dynamic ? null : new Reconfiguration(
                persistedMembership != null ? persistedMembership : Membership.of(config), TestMemberships.DECODER);
        core = new ZabNode(config, storage, storage.snapshotZxid(), reconfiguration);
        process();
    }

    boolean running() {
        return alive && !paused && !inEpochWrite;
    }

    void pause(long duration) {
        run.log("pause " + id + " for " + duration);
        run.pauses++;
        paused = true;
        int inc = incarnation;
        run.schedule(duration, () -> {
            if (paused && incarnation == inc) {
                resume();
            }
        });
    }

    void resume() {
        run.log("resume " + id);
        paused = false;
        // what happened to its connections meanwhile, it learns now
        for (long peer : network.peersDown(id)) {
            core.disconnected(peer);
        }
        process();
        List<Runnable> waiting = new ArrayList<>(deferred);
        deferred.clear();
        waiting.forEach(Runnable::run);
        network.resumed(id);
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
        run.log("crash " + id);
        run.crashes++;
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
        network.resetAll(id);
        invariants.checkCommittedDurable("crash of " + id);
    }

    void restart() {
        run.log("restart " + id);
        applied = new ArrayList<>(storage.snapshot());
        start();
        network.redial(id);
    }

    void compact() {
        run.log("compact " + id + " at " + Zxid.toString(appliedZxid()));
        storage.compact(applied);
        invariants.checkCommittedDurable("compaction on " + id);
    }

    void tick() {
        if (running()) {
            core.tick();
            process();
        }
        run.schedule(TICK, this::tick);
    }

    LogEntry propose() {
        long zxid = core.nextZxid();
        LogEntry e = invariants.clientProposal(zxid, id);
        core.propose(e);
        process();
        return e;
    }

    long readIndex() {
        long requestId = reads.ask(this);
        core.readIndex(requestId);
        process();
        return requestId;
    }

    void receive(long from, ZabMessage m) {
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
                invariants.checkPersisted(id, p.entry());
                storage.append(p.entry());
                scheduleFlush();
            } else if (o instanceof ZabOutput.Truncate t) {
                run.log(id + " truncate after " + Zxid.toString(t.afterZxid()));
                run.truncations++;
                if (t.afterZxid() < appliedZxid()) {
                    run.fail("server " + id + " told to truncate below its applied " + Zxid.toString(appliedZxid()));
                }
                storage.truncate(t.afterZxid());
                invariants.checkCommittedDurable("truncation on " + id);
            } else if (o instanceof ZabOutput.PersistEpochs pe) {
                if (pe.acceptedEpoch() < storage.acceptedEpoch() || pe.currentEpoch() < storage.currentEpoch()
                        || pe.currentEpoch() > pe.acceptedEpoch()) {
                    run.fail("server " + id + " epochs " + storage.acceptedEpoch() + "/" + storage.currentEpoch()
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
                run.log(id + " activates " + am.membership());
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
                run.log(id + " -> " + rc + " (" + core.lastChange() + ")");
                if (rc.role() == Role.LOOKING) {
                    run.elections++;
                }
                if (core.lastChange().startsWith("handed over")) {
                    run.transfers.handedOverOne(); // the old leader looks, or follows its target at once
                }
            } else if (o instanceof ZabOutput.HandoverAbandoned ha) {
                run.log(id + " abandons the transfer to " + ha.target() + ": " + ha.why());
                run.transfers.abandonedOne();
            } else if (o instanceof ZabOutput.HandingOver ho) {
                if (core.isEstablished()) {
                    run.fail("server " + id + " hands over to " + ho.target() + " but may still propose");
                }
            } else if (o instanceof ZabOutput.ReadIndex ri) {
                reads.confirmed(this, ri);
            } else if (o instanceof ZabOutput.ReadIndexFailed rf) {
                reads.failed(this, rf);
            } else if (o instanceof ZabOutput.Serving sv) {
                run.log(id + " serving " + sv);
                if (sv.role() == Role.LEADING) {
                    invariants.established(sv.epoch(), id);
                    run.transfers.established(id, sv.epoch(), run.now());
                }
            }
        }
        if (snapshotRequests != null) {
            // the shell serves them after applying every commit of the drain
            long zxid = appliedZxid();
            byte[] state = Simulation.encodeState(applied);
            int inc = incarnation;
            for (long peer : snapshotRequests) {
                run.schedule(1 + run.rnd.nextInt(3 * TICK), () -> whenRunning(inc, () -> {
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
        run.log(id + " crashes while it writes " + pe);
        run.epochWriteCrashes++;
        epochWritesBeforeCrash = -1;
        inEpochWrite = true;
        int inc = incarnation;
        run.schedule(1 + run.rnd.nextInt(2 * TICK), () -> {
            if (incarnation != inc) {
                return;
            }
            if (run.rnd.nextBoolean()) {
                storage.persistEpochs(pe.acceptedEpoch(), pe.currentEpoch());
            }
            crash();
            run.schedule(20 + run.rnd.nextInt(10 * TICK), () -> {
                if (!alive) {
                    restart();
                }
            });
        });
    }

    void stallDisk(long duration) {
        run.log("disk of " + id + " stalls for " + duration);
        run.diskStalls++;
        diskStalledUntil = run.now() + duration;
    }

    /**
     * The disk works again at once: the flush waiting for the stall to end happens now, and replaces that one (which
     * kept later writes from scheduling their own until the stall's original end, seed 473 of ZabSimulationTest).
     */
    void endDiskStall() {
        if (diskStalledUntil <= run.now()) {
            return;
        }
        diskStalledUntil = run.now();
        if (!alive) {
            return; // nothing to flush: the crash lost the volatile tail
        }
        flushPending = true;
        int inc = incarnation;
        int flush = ++flushes;
        run.schedule(1, () -> whenRunning(inc, () -> flush(flush)));
    }

    private void scheduleFlush() {
        if (flushPending) {
            return;
        }
        flushPending = true;
        int inc = incarnation;
        int flush = flushes;
        run.schedule(Math.max(1 + run.rnd.nextInt(8), diskStalledUntil - run.now()),
                () -> whenRunning(inc, () -> flush(flush)));
    }

    /** the pending flush, unless a later one replaced it */
    private void flush(int flush) {
        if (flush != flushes) {
            return;
        }
        flushPending = false;
        if (storage.hasVolatileTail()) {
            core.persisted(storage.flush());
            process();
        }
    }

    private void apply(long zxid) {
        if (zxid <= appliedZxid()) {
            run.fail("server " + id + " commit " + Zxid.toString(zxid) + " not above applied "
                    + Zxid.toString(appliedZxid()));
        }
        var it = storage.readAfter(appliedZxid());
        while (it.hasNext()) {
            LogEntry e = it.next();
            if (e.zxid() > zxid) {
                break;
            }
            invariants.checkApplied(id, applied.size(), e);
            applied.add(e);
        }
        if (appliedZxid() != zxid) {
            run.fail("server " + id + " commit " + Zxid.toString(zxid) + " but its log reaches only "
                    + Zxid.toString(appliedZxid()));
        }
    }

    private void install(long zxid, byte[] state) {
        run.snapshotsSent++;
        List<LogEntry> entries = Simulation.decodeState(state);
        long last = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).zxid();
        if (last != zxid) {
            run.fail("snapshot at " + Zxid.toString(zxid) + " ends at " + Zxid.toString(last));
        }
        for (int i = 0; i < entries.size(); i++) {
            invariants.checkApplied(id, i, entries.get(i));
        }
        run.log(id + " install snapshot at " + Zxid.toString(zxid));
        applied = new ArrayList<>(entries);
        storage.installSnapshot(zxid, entries);
        invariants.checkCommittedDurable("snapshot install on " + id);
    }

    private void send(long to, ZabMessage m) {
        run.messages++;
        if (m instanceof ZabMessage.HandoverSync) {
            run.transfers.shortcuts++;
        }
        network.send(id, to, m);
    }
}
