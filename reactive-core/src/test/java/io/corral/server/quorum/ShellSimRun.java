package io.corral.server.quorum;

import io.corral.server.zab.ZabCodec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.LongStream;

/**
 * What every part of a {@link ShellSimulation} shares: the seed and the one generator it drives, the clock, the codec
 * and the links, the servers, the trace, the counters for the report, and how a violation is reported. Every draw
 * comes from {@link #rnd} in event order, so a seed replays exactly.
 */
class ShellSimRun {

    final long seed;
    final ShellSimulation.Params params;
    final SplittableRandom rnd;
    final SimClock clock = new SimClock();
    final ZabCodec codec = new ZabCodec(64 << 20);
    final SimLinks links;
    /** by id: voters, then observers */
    final Map<Long, ShellSimServer> servers = new LinkedHashMap<>();
    final Set<Long> voters = new TreeSet<>();
    final Set<Long> observers = new TreeSet<>();
    private final StringBuilder trace;

    // for the report
    int crashes;
    int partitions;
    int stalls;
    int transfers;
    int handovers;
    int transfersAbandoned;
    int purges;
    int elections;
    int snapshotsInstalled;
    int truncations;
    int syncsAnswered;
    int forwardedWrites;
    int releasedWrites;
    long catchUpTicks;

    /** the servers are the subclass's to add: they report to it, and to the parts it builds */
    ShellSimRun(long seed, ShellSimulation.Params params, boolean traced) {
        this.seed = seed;
        this.params = params;
        this.rnd = new SplittableRandom(seed);
        this.trace = traced ? new StringBuilder() : null;
        List<Long> all = LongStream.rangeClosed(1, params.voters() + params.observers()).boxed().toList();
        for (long id : all) {
            (id <= params.voters() ? voters : observers).add(id);
        }
        links = new SimLinks(clock, rnd, codec, new SimLinks.Params(params.linkCapacity(), params.transmitMicros()),
                all, this::log);
        links.traceMessages = traced && Boolean.getBoolean("shell.traceMessages");
    }

    void runFor(long millis) {
        clock.runUntil(clock.now() + millis * SimClock.MILLI);
    }

    ShellSimServer leader() {
        ShellSimServer l = leaderOrNull();
        if (l == null) {
            fail("no leader serves");
        }
        return l;
    }

    ShellSimServer leaderOrNull() {
        for (ShellSimServer s : servers.values()) {
            if (s.leadsAndServes()) {
                return s;
            }
        }
        return null;
    }

    void log(String what) {
        if (trace != null) {
            trace.append(clock.now() / SimClock.MILLI).append('.')
                    .append(String.format("%03d", clock.now() % SimClock.MILLI)).append(' ').append(what).append('\n');
        }
    }

    /** the last {@code lines} lines of the trace (a traced run only), headed by how many there were */
    String traceTail(int lines) {
        String[] all = trace == null ? new String[0] : trace.toString().split("\n");
        int from = Math.max(0, all.length - lines);
        return "---- trace of seed " + seed + " (last " + (all.length - from) + " of " + all.length + " lines)\n"
                + String.join("\n", Arrays.asList(all).subList(from, all.length));
    }

    int overflows() {
        return links.overflows;
    }

    int resets() {
        return links.resets;
    }

    /** throws an AssertionError that names the seed, the time, what was violated, and the state of every server */
    void fail(String what) {
        StringBuilder sb = new StringBuilder("seed ").append(seed).append(" at ")
                .append(clock.now() / SimClock.MILLI).append(" ms: ").append(what);
        for (ShellSimServer s : servers.values()) {
            sb.append("\n  ").append(s);
        }
        throw new AssertionError(sb.toString());
    }
}
