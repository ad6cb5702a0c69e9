package io.corral.server.zab;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What every part of a {@link Simulation} shares: the seed and the one random generator it drives, the clock and the
 * event queue, the trace, the servers, whether faults still strike, the configuration the servers start with, the
 * counters for the report, and how a violation is reported. Every draw comes from {@link #rnd} in event order, so a
 * seed replays exactly.
 */
class SimRun {

    final long seed;
    final Simulation.Params params;
    final SplittableRandom rnd;
    /** by id: voters, observers, then spares */
    final Map<Long, SimServer> servers = new LinkedHashMap<>();
    /** the voters and observers the servers start with */
    final Set<Long> voters = new LinkedHashSet<>();
    final Set<Long> observers = new LinkedHashSet<>();
    /** with reconfiguration: the servers' memberships are dynamic */
    final boolean dynamic;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final StringBuilder trace;
    private long now;
    private long eventSeq;
    private boolean faulty = true;

    // counters, for the report
    int crashes;
    int resets;
    int pauses;
    int partitions;
    int snapshotsSent;
    int truncations;
    int elections;
    long messages;
    int readsConfirmed;
    int readsFailed;
    int overflows;
    int diskStalls;
    int epochWriteCrashes;
    int reconfigsProposed;
    int reconfigsRefused;
    int reconfigsCommitted;
    final TransferLedger transfers = new TransferLedger();

    SimRun(long seed, Simulation.Params params, boolean traced, boolean dynamic) {
        this.dynamic = dynamic;
        this.seed = seed;
        this.params = params;
        this.rnd = new SplittableRandom(seed);
        this.trace = traced ? new StringBuilder() : null;
        for (long id = 1; id <= params.voters(); id++) {
            voters.add(id);
        }
        for (long id = params.voters() + 1; id <= params.voters() + params.observers(); id++) {
            observers.add(id);
        }
    }

    /** throws an AssertionError that names the seed, the time, what was violated, and the state of every server */
    void fail(String what) {
        StringBuilder sb = new StringBuilder("seed ").append(seed).append(" at ").append(now).append(": ")
                .append(what);
        for (SimServer s : servers.values()) {
            sb.append("\n  ").append(s.alive ? s.core.toString() : "server " + s.id + " down")
                    .append(" applied=").append(Zxid.toString(s.appliedZxid()));
        }
        throw new AssertionError(sb.toString());
    }

    long now() {
        return now;
    }

    void runUntil(long end) {
        while (!events.isEmpty() && events.peek().time <= end) {
            Event e = events.poll();
            now = e.time;
            e.action.run();
        }
        now = end;
    }

    void schedule(long delay, Runnable action) {
        events.add(new Event(now + delay, eventSeq++, action));
    }

    private record Event(long time, long seq, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
        }
    }

    /** whether faults still strike: once they stop, they never resume */
    boolean faulty() {
        return faulty;
    }

    void stopFaults() {
        faulty = false;
    }

    boolean traced() {
        return trace != null;
    }

    void log(String what) {
        if (trace != null) {
            trace.append(now).append(' ').append(what).append('\n');
        }
    }

    String trace() {
        return trace == null ? "" : trace.toString();
    }
}
