package io.corral.bench.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compare's CPU-per-write phase (issue 12): per round, a fresh server of each side (ZooKeeper, optionally the Corral
 * of another tree as a baseline, then Corral) takes setData of 100 B at fixed rates (open loop), getData at fixed
 * rates, and setData in a closed loop (saturation), with the load tool sampling the server process
 * ({@code --server-pid}): server CPU time per acknowledged request, share of a core, voluntary and involuntary
 * context switches per request, latency percentiles (from each request's intended send time) and its busiest
 * threads; plus the server's CPU while idle, before the first request. Written to its own section of RESULTS.md.
 */
final class CpuPerWrite {
    static final ReportSection SECTION = new ReportSection("cpu-per-write", Compare.class);
    private static final double IDLE_SECONDS = 5;

    /** Runs the load tool against a server; returns its JSON result or null (Compare notes why). */
    interface Loader {
        Map<String, Object> load(String key, String title, int round, String workload, String connect,
                                 String... args) throws Exception;
    }

    /** One server to measure: its title in the tables, a file-name key, and how to start it. */
    record Side(String title, String key, ServerKind kind, ServerLauncher launcher) {
    }

    private final List<Side> sides;
    private final List<Integer> rates;
    private final List<Integer> readRates;
    private final int clients;
    private final int inflight;
    private final Loader loader;
    private final Path work;
    /** ZooKeeper against Corral. */
    private final FigureTable versusZooKeeper;
    /** The baseline Corral against this one; null without a baseline. */
    private final FigureTable versusBaseline;
    private final StringBuilder threads = new StringBuilder();

    CpuPerWrite(List<Side> sides, int rounds, List<Integer> rates, List<Integer> readRates, int clients, int inflight,
                Loader loader, Path work) {
        this.sides = sides;
        this.rates = rates;
        this.readRates = readRates;
        this.clients = clients;
        this.inflight = inflight;
        this.loader = loader;
        this.work = work;
        versusZooKeeper = new FigureTable(rounds, sides.get(0).title, sides.get(sides.size() - 1).title);
        versusBaseline = sides.size() > 2 ? new FigureTable(rounds, sides.get(1).title,
                sides.get(sides.size() - 1).title) : null;
    }

    List<Side> sides() {
        return sides;
    }

    /** One round of one side: a fresh server, idle CPU, the fixed write rates, the read rates, the closed loop. */
    void run(Side side, int round) throws Exception {
        Path dir = work.resolve(side.key + "-r" + round + "-cpu");
        LaunchedServer s = side.launcher.standalone(side.kind, dir, ServerLauncher.freePort(), Duration.ofSeconds(60));
        try {
            Thread.sleep(1000); // let start-up's own threads settle
            long before = ticks(s.pid());
            long start = System.nanoTime();
            Thread.sleep((long) (IDLE_SECONDS * 1000));
            long after = ticks(s.pid());
            double seconds = (System.nanoTime() - start) / 1e9;
            record("server CPU while idle, before any session", "% of a core", side, round,
                    before < 0 || after < 0 ? null : (after - before) * 0.01 / seconds * 100);
            String pid = "" + s.pid();
            fixedRates(side, round, s.address(), pid, "set", "setData", rates);
            fixedRates(side, round, s.address(), pid, "get", "getData", readRates);
            String what = "setData closed loop " + clients + "x" + inflight + " (saturation)";
            String load = RunFacts.loadAverage();
            Map<String, Object> r = loader.load(side.key, side.title, round, "set", s.address(), "--clients",
                    "" + clients, "--inflight", "" + inflight, "--server-pid", pid);
            recordRun("setData", what, side, round, r, load, false);
        } finally {
            side.launcher.stopServer(s);
        }
    }

    private void fixedRates(Side side, int round, String address, String pid, String workload, String op,
                            List<Integer> opRates) throws Exception {
        for (int rate : opRates) {
            String what = String.format(Locale.ROOT, "%s at %,d/s", op, rate);
            String load = RunFacts.loadAverage();
            Map<String, Object> r = loader.load(side.key, side.title, round, workload, address, "--rate", "" + rate,
                    "--clients", "" + clients, "--server-pid", pid);
            recordRun(op, what, side, round, r, load, true);
        }
    }

    private void recordRun(String op, String what, Side side, int round, Map<String, Object> r, String load,
                           boolean fixed) {
        record("server CPU per " + op + ", " + what, "us/op", side, round, get(r, "serverCpuUsPerOp"));
        record("server CPU, " + what, "% of a core", side, round, get(r, "serverCpuPctOfOneCore"));
        record("voluntary context switches per " + op + ", " + what, "per op", side, round,
                get(r, "serverVoluntaryCsPerOp"));
        record("involuntary context switches per " + op + ", " + what, "per op", side, round,
                get(r, "serverInvoluntaryCsPerOp"));
        record((fixed ? "acknowledged rate, " : "throughput, ") + what, "ops/s", side, round, get(r, "throughput"));
        Object lat = r == null ? null : r.get("latencyUs");
        for (String p : List.of("p50", "p99", "p999")) {
            record((p.equals("p999") ? "p99.9" : p) + " latency, " + what, "ms", side, round,
                    lat instanceof Map<?, ?> m && m.get(p) instanceof Double d ? d / 1000 : null);
        }
        threads.append("| ").append(round).append(" | ").append(side.title).append(" | ").append(what).append(" | `")
                .append(load.split("\\s+")[0]).append("` | ").append(threadSplit(r)).append(" |\n");
    }

    /** "name 12% (0.53)" for the busiest threads: % of a core and context switches per setData. */
    private static String threadSplit(Map<String, Object> r) {
        if (r == null || !(r.get("serverThreads") instanceof Map<?, ?> threads)) {
            return "—";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<?, ?> e : threads.entrySet()) {
            if (parts.size() == 6 || !(e.getValue() instanceof Map<?, ?> t)) {
                break;
            }
            double pct = t.get("cpuPctOfOneCore") instanceof Double d ? d : 0;
            double cs = t.get("csPerOp") instanceof Double d ? d : 0;
            if (pct < 0.5 && cs < 0.01) {
                continue;
            }
            parts.add(String.format(Locale.ROOT, "%s %.0f%% (%.2f)", e.getKey(), pct, cs));
        }
        return parts.isEmpty() ? "—" : String.join(", ", parts);
    }

    private static Double get(Map<String, Object> r, String key) {
        return r != null && r.get(key) instanceof Double d ? d : null;
    }

    private void record(String figure, String unit, Side side, int round, Object value) {
        int index = sides.indexOf(side);
        if (index == 0 || index == sides.size() - 1) {
            versusZooKeeper.record(figure, unit, side.title, round, value);
        }
        if (versusBaseline != null && index > 0) {
            versusBaseline.record(figure, unit, side.title, round, value);
        }
    }

    /** utime + stime of the whole process in clock ticks (10 ms), -1 when it cannot be read. */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return -1;
        }
    }

    /** The section's Markdown body (without the markers). */
    String report(String runLines, String busyWarning, double warmup, double duration, String baselineNote) {
        StringBuilder md = new StringBuilder("## CPU per write\n\n");
        md.append("Generated by `io.corral.bench.compare.Compare --cpu-only` (see `benchmarks/README.md`); do not edit "
                + "by hand, re-run the command below.\n\n");
        md.append(runLines);
        md.append(String.format(Locale.ROOT, "- load: setData of 100 B on 1,000 znodes, official ZooKeeper 3.9.5 "
                        + "client, %d sessions; fixed rates %s (open loop), getData of those znodes at fixed rates %s, "
                        + "then setData in a closed loop of %d x %d in flight; %.0f s warm-up + %.0f s measured each; "
                        + "latency from each request's intended send time; one fresh server per side and round, in the "
                        + "order %s\n",
                clients, rates, readRates, clients, inflight, warmup, duration,
                String.join(", ", sides.stream().map(Side::title).toList())));
        md.append("- server CPU: utime + stime of the server process (`/proc/PID/stat`, every thread, 10 ms ticks) "
                + "over the load tool's measured window, divided by the requests answered in it; context switches: "
                + "`voluntary_ctxt_switches` / `nonvoluntary_ctxt_switches` of `/proc/PID/task/*/status`, summed "
                + "over the server's threads; idle: the same CPU figure over " + (int) IDLE_SECONDS
                + " s after start-up, before any session\n");
        if (baselineNote != null) {
            md.append("- baseline: ").append(baselineNote).append('\n');
        }
        md.append(busyWarning);
        md.append("\n### ").append(versusZooKeeper.summaryTitle()).append("\n\n");
        md.append("Median over rounds; the ratio is computed per round (median and min–max). Below 1 favours Corral "
                + "for CPU, context switches and latency; the rate rows show that the offered rate was reached.\n\n");
        md.append(versusZooKeeper.summary());
        if (versusBaseline != null) {
            md.append("\n### ").append(versusBaseline.summaryTitle()).append("\n\n");
            md.append(versusBaseline.summary());
        }
        md.append("\n### Every round\n\n");
        md.append(versusZooKeeper.everyRound());
        if (versusBaseline != null) {
            md.append('\n').append(versusBaseline.everyRound());
        }
        md.append("\n### Busiest server threads\n\n");
        md.append("Per thread name (digits folded, so a pool adds up): % of one core, and in parentheses its "
                + "context switches per request; with the 1-minute load average when the measurement began.\n\n");
        md.append("| round | server | load | load average | threads |\n|--:|---|---|--:|---|\n");
        md.append(threads);
        return md.toString();
    }
}
