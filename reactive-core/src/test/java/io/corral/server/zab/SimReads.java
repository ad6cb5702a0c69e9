package io.corral.server.zab;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.corral.server.zab.Simulation.TICK;

/**
 * The read-index clients: now and then they ask every established leader for a read index, and every answer is
 * checked. A confirmed read index is at or above every commit any server knew of when it was asked for, and was asked
 * for when no quorum of voters had accepted a later epoch than the confirming leader's (so no later leader had been
 * established); each request is answered once, by the server asked, in the life it was asked in.
 */
final class SimReads {

    private final SimRun run;
    private final SimInvariants invariants;
    /** read-index requests not answered yet, by request id */
    private final Map<Long, ReadRequest> pending = new LinkedHashMap<>();
    private long nextReadId;
    private boolean reading = true;

    SimReads(SimRun run, SimInvariants invariants) {
        this.run = run;
        this.invariants = invariants;
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

    /** every established leader is asked for a read index now and then, until {@link #stop()} */
    void start() {
        run.schedule(1 + run.rnd.nextInt(2 * TICK), () -> {
            if (!reading) {
                return;
            }
            for (SimServer s : run.servers.values()) {
                if (s.running() && s.core.isEstablished() && s.core.pendingReadIndexes() < 100) {
                    s.readIndex();
                }
            }
            start();
        });
    }

    /** no more requests: the liveness check asks its own */
    void stop() {
        reading = false;
    }

    /** a request asked of {@code s} now, with what is true now; its id */
    long ask(SimServer s) {
        long requestId = nextReadId++;
        long maxEstablished = invariants.maxEstablished();
        pending.put(requestId, new ReadRequest(s.id, s.incarnation, s.core.epoch(), knownCommitted(),
                acceptedByQuorum(), maxEstablished, run.now()));
        return requestId;
    }

    boolean isPending(long requestId) {
        return pending.containsKey(requestId);
    }

    private long knownCommitted() {
        long known = invariants.lastCommitted();
        for (SimServer s : run.servers.values()) {
            if (s.alive) {
                known = Math.max(known, s.core.committedZxid());
            }
        }
        return known;
    }

    /** the highest epoch that at least a quorum of voters has accepted */
    private long acceptedByQuorum() {
        long[] accepted = invariants.committedMembership().voters().stream()
                .mapToLong(v -> run.servers.get(v).storage.acceptedEpoch()).sorted().toArray();
        return accepted[accepted.length - (accepted.length / 2 + 1)];
    }

    void confirmed(SimServer s, ZabOutput.ReadIndex ri) {
        ReadRequest r = answered(s, ri.requestId());
        run.readsConfirmed++;
        run.log(s.id + " read index " + ri.requestId() + " = " + Zxid.toString(ri.index()) + " asked at " + r.at());
        if (ri.index() < r.knownCommitted()) {
            run.fail("stale read index: request " + ri.requestId() + " confirmed at " + Zxid.toString(ri.index())
                    + " by " + s.id + " (epoch " + r.epoch() + "), but " + Zxid.toString(r.knownCommitted())
                    + " was known committed when it was asked for at " + r.at());
        }
        if (r.acceptedByQuorum() > r.epoch()) {
            run.fail("read index " + ri.requestId() + " confirmed by " + s.id + " in epoch " + r.epoch()
                    + ", asked for at " + r.at() + " when a quorum had accepted epoch " + r.acceptedByQuorum());
        }
        if (r.maxEstablished() > r.epoch()) {
            run.fail("read index " + ri.requestId() + " confirmed by " + s.id + " in epoch " + r.epoch()
                    + ", asked for at " + r.at() + " when epoch " + r.maxEstablished() + " was established");
        }
        if (ri.index() > s.core.committedZxid()) {
            run.fail("read index " + Zxid.toString(ri.index()) + " above the leader's committed "
                    + Zxid.toString(s.core.committedZxid()));
        }
    }

    void failed(SimServer s, ZabOutput.ReadIndexFailed rf) {
        answered(s, rf.requestId());
        run.readsFailed++;
    }

    /** the request, which must be pending and asked of this server in this life; it is answered now */
    private ReadRequest answered(SimServer s, long requestId) {
        ReadRequest r = pending.remove(requestId);
        if (r == null) {
            run.fail("server " + s.id + " answers read-index request " + requestId + ", which is not pending");
        }
        if (r.server() != s.id || r.incarnation() != s.incarnation) {
            run.fail("server " + s.id + " answers read-index request " + requestId + " asked of " + r.server()
                    + " in another life");
        }
        return r;
    }

    /** every request asked of a server that is still in the same life has been answered */
    void checkAnswered() {
        for (Map.Entry<Long, ReadRequest> e : pending.entrySet()) {
            ReadRequest r = e.getValue();
            SimServer s = run.servers.get(r.server());
            if (s.alive && s.incarnation == r.incarnation()) {
                run.fail("read-index request " + e.getKey() + " asked of " + r.server() + " at " + r.at()
                        + " never answered");
            }
        }
    }
}
