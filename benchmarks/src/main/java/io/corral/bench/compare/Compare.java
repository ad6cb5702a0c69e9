package io.corral.bench.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the same work against Apache ZooKeeper 3.9.5 and Corral on this machine, each as a child JVM with the same
 * -Xmx, alternating servers (ZooKeeper, Corral, ZooKeeper, Corral, ...) for several rounds, and writes a Markdown
 * report (benchmarks/RESULTS.md) with the median of each figure, the Corral/ZooKeeper ratio and its spread over
 * rounds. Every server and load-tool process it starts is stopped by pid, also on failure, and the whole run has a
 * time limit. Run it through benchmarks/compare.sh.
 */
public final class Compare {

    // --- settings ---
    private final Path root;
    private final boolean quick;
    private final int rounds;
    private final double duration;
    private final double warmup;
    private final long bulkCount;
    private final int watchers;
    private final int openRate;
    private final int clients;
    private final int inflight;
    private final String xmx;
    private final Path out;
    private final String command;
    private final RunDeadline deadline;
    private final List<String> corralExtraJvm;
    private final Path work;
    private final Path pidFile;
    /** Only the CPU-per-write phase ({@link CpuPerWrite}), written to its own section. */
    private final boolean cpuOnly;
    private final List<Integer> cpuRates;
    private final List<Integer> cpuReadRates;
    /** Another tree whose built Corral runs as the CPU phase's baseline, or null. */
    private final Path corralBaseline;
    private final String corralBaselineLabel;
    /** Only the bulk load, memory and restart phase ({@link #runRestartOnly}), written to its own section. */
    private final boolean restartOnly;

    private final ChildProcesses children;
    private final ServerLauncher launcher;
    private final LoadToolRun loadTool;
    private final RunNotes notes = new RunNotes(Compare::log);
    /** ZooKeeper (baseline) and Corral, one value per round and figure. */
    private final FigureTable figures;

    private Compare(Map<String, String> o) throws IOException {
        root = Path.of(o.getOrDefault("root", ".")).toAbsolutePath().normalize();
        quick = o.containsKey("quick");
        rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
        duration = Double.parseDouble(o.getOrDefault("duration", quick ? "2" : "10"));
        warmup = Double.parseDouble(o.getOrDefault("warmup", quick ? "1" : "5"));
        bulkCount = Long.parseLong(o.getOrDefault("bulk-count", quick ? "20000" : "1000000").replace("_", ""));
        watchers = Integer.parseInt(o.getOrDefault("watchers", quick ? "50" : "100"));
        openRate = Integer.parseInt(o.getOrDefault("open-rate", "1000"));
        clients = Integer.parseInt(o.getOrDefault("clients", "4"));
        inflight = Integer.parseInt(o.getOrDefault("inflight", "16"));
        xmx = o.getOrDefault("xmx", "2g");
        out = root.resolve(o.getOrDefault("out", "benchmarks/RESULTS.md"));
        command = o.getOrDefault("command", "benchmarks/compare.sh " + String.join(" ", o.keySet()));
        double limitMin = Double.parseDouble(o.getOrDefault("time-limit-min", quick ? "6" : "24"));
        deadline = new RunDeadline(limitMin, Compare::log);
        String extra = o.getOrDefault("corral-jvm-opts", "").trim();
        corralExtraJvm = extra.isEmpty() ? List.of() : Arrays.asList(extra.split("\\s+"));
        work = WorkDirectory.create("corral-compare-");
        pidFile = Path.of(o.getOrDefault("pidfile", work.resolve("pids").toString()));
        cpuOnly = o.containsKey("cpu-only");
        restartOnly = o.containsKey("restart-only");
        cpuRates = rates(o.getOrDefault("cpu-rates", "2000,5000,10000"));
        cpuReadRates = rates(o.getOrDefault("cpu-read-rates", "5000,20000"));
        corralBaseline = o.containsKey("corral-baseline") ? Path.of(o.get("corral-baseline")).toAbsolutePath()
                .normalize() : null;
        corralBaselineLabel = o.getOrDefault("corral-baseline-label",
                corralBaseline == null ? null : corralBaseline.getFileName().toString());
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1");
        }
        figures = new FigureTable(rounds, ServerKind.ZOOKEEPER.title, ServerKind.CORRAL.title);
        children = new ChildProcesses(pidFile);
        launcher = new ServerLauncher(root, children, xmx, corralExtraJvm, Compare.class.getName(), Compare::log);
        loadTool = new LoadToolRun(root.resolve("benchmarks/target/benchmarks.jar"), children);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = DriverCli.options("compare", args, Set.of("root", "quick", "rounds", "duration",
                "warmup", "bulk-count", "watchers", "open-rate", "clients", "inflight", "xmx", "out", "command",
                "time-limit-min", "corral-jvm-opts", "pidfile", "cpu-only", "cpu-rates", "cpu-read-rates",
                "corral-baseline",
                "corral-baseline-label", "restart-only"), Set.of("quick", "cpu-only", "restart-only"));
        Compare compare = new Compare(o);
        DriverCli.runThenExit("compare", compare.children, compare::run);
    }

    // ------------------------------------------------------------------------------------------------ the run

    private void run() throws Exception {
        launcher.requireJars("benchmarks/compare.sh");
        String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String loadBefore = RunFacts.loadAverage();
        log("work directory " + work + "; " + rounds + " rounds" + (quick ? " (quick)" : ""));
        Map<String, Object> fsync = RunFacts.fsyncProbe(work);
        log(String.format(Locale.ROOT, "fsync probe: median %.0f us, p99 %.0f us over %d fdatasyncs of 4 KiB",
                fsync.get("medianUs"), fsync.get("p99Us"), fsync.get("count")));

        if (cpuOnly) {
            runCpuPerWrite(started, loadBefore, fsync);
            return;
        }
        if (restartOnly) {
            runRestartOnly(started, loadBefore, fsync);
            return;
        }
        eachRoundAndServer("", (server, round) -> {
            runThroughput(server, round);
            if (!deadline.passed()) {
                runBulkAndRestart(server, round);
            }
        });
        String loadAfter = RunFacts.loadAverage();
        String report = report(started, loadBefore, loadAfter, fsync);
        if (Files.exists(out)) {
            report = ReportSection.keepingSectionsOf(Files.readString(out), report);
        }
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        Path raw = root.resolve("benchmarks/target/compare-raw.jsonl");
        loadTool.writeRawResults(raw);
        System.out.println(report);
        log("wrote " + out + " (raw load-tool results: " + raw + ")");
    }

    /** A fresh server: setData, create, getData (closed loop), mixed at a fixed rate (open loop), watch fan-out. */
    private void runThroughput(ServerKind server, int round) throws Exception {
        Path dir = work.resolve(server.name().toLowerCase(Locale.ROOT) + "-r" + round + "-load");
        LaunchedServer s = startServer(server, dir, ServerLauncher.freePort(), 60);
        try {
            String connect = s.address();
            String[] loop = {"--clients", "" + clients, "--inflight", "" + inflight};
            Map<String, Object> r;

            r = load(server, round, "set", connect, concat(loop, "--server-pid", "" + s.pid()));
            record("setData 100 B throughput (closed loop, " + clients + "x" + inflight + ")", "ops/s", true,
                    server, round, r == null ? null : r.get("throughput"));
            record("server CPU per setData (closed loop)", "us/op", false, server, round,
                    r == null ? null : r.get("serverCpuUsPerOp"));
            record("load tool's own CPU per setData (client cost)", "us/op", false, server, round,
                    r == null ? null : r.get("clientCpuUsPerOp"));

            r = load(server, round, "create", connect, loop);
            record("create 100 B throughput (closed loop)", "ops/s", true, server, round,
                    r == null ? null : r.get("throughput"));

            r = load(server, round, "get", connect, loop);
            record("getData 100 B throughput (closed loop)", "ops/s", true, server, round,
                    r == null ? null : r.get("throughput"));

            // the same with the leanest client there is, so that the load tool's own CPU caps the ratio later
            String[] lean = {"--clients", "" + clients, "--inflight", "" + inflight, "--client", "corral"};
            r = load(server, round, "set", connect, lean);
            record("setData 100 B throughput, Corral's client as load tool", "ops/s", true, server, round,
                    r == null ? null : r.get("throughput"));
            r = load(server, round, "get", connect, lean);
            record("getData 100 B throughput, Corral's client as load tool", "ops/s", true, server, round,
                    r == null ? null : r.get("throughput"));

            r = load(server, round, "mixed", connect, "--rate", "" + openRate, "--read-pct", "80", "--clients",
                    "" + clients);
            String open = "open loop " + openRate + "/s, 80% getData / 20% setData";
            record("p50 latency, " + open, "ms", false, server, round, latency(r, "p50"));
            record("p99 latency, " + open, "ms", false, server, round, latency(r, "p99"));
            record("p99.9 latency, " + open, "ms", false, server, round, latency(r, "p999"));

            r = load(server, round, "watch", connect, "--watchers", "" + watchers);
            record("watch notification latency p50 (" + watchers + " watchers, 1 writer)", "ms", false, server,
                    round, latency(r, "p50"));
            record("watch notification latency p99 (" + watchers + " watchers, 1 writer)", "ms", false, server,
                    round, latency(r, "p99"));
        } finally {
            stop(s);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /**
     * Only the CPU-per-write phase: rounds of ZooKeeper, the baseline Corral (if any) and Corral, each a fresh
     * server; replaces its section of the report and leaves the rest of the file as it is.
     */
    private void runCpuPerWrite(String started, String loadBefore, Map<String, Object> fsync) throws Exception {
        List<CpuPerWrite.Side> sides = new ArrayList<>();
        sides.add(new CpuPerWrite.Side(ServerKind.ZOOKEEPER.title, ServerKind.ZOOKEEPER.key(), ServerKind.ZOOKEEPER,
                launcher));
        if (corralBaseline != null) {
            ServerLauncher baseline = new ServerLauncher(corralBaseline, children, xmx, corralExtraJvm,
                    Compare.class.getName(), Compare::log);
            sides.add(new CpuPerWrite.Side("Corral " + corralBaselineLabel, "corral-baseline", ServerKind.CORRAL,
                    baseline));
        }
        sides.add(new CpuPerWrite.Side(ServerKind.CORRAL.title + (corralBaseline == null ? ""
                : " " + RunFacts.commit(root)), ServerKind.CORRAL.key(), ServerKind.CORRAL, launcher));
        CpuPerWrite cpu = new CpuPerWrite(sides, rounds, cpuRates, cpuReadRates, clients, inflight,
                (key, title, round, workload, connect, args) -> load(key, title, round, workload, connect, args),
                work);
        outer:
        for (int round = 1; round <= rounds; round++) {
            for (CpuPerWrite.Side side : cpu.sides()) {
                if (deadline.passed()) {
                    break outer;
                }
                log("round " + round + "/" + rounds + ": CPU per write, " + side.title());
                cpu.run(side, round);
            }
        }
        String loadAfter = RunFacts.loadAverage();
        String body = cpu.report(RunFacts.runLines(started, command, root, work, fsync, loadBefore, loadAfter)
                        + (deadline.reached() ? "- **the run hit its time limit**: some figures are missing\n" : ""),
                RunFacts.busyWarning(loadBefore, loadAfter), warmup, duration,
                corralBaseline == null ? null : "`" + corralBaseline + "` (" + corralBaselineLabel
                        + "), its own `reactive-core/target` and `bin/corral-server` flags");
        StringBuilder md = new StringBuilder(body);
        notes.appendTo(md);
        Path raw = root.resolve("benchmarks/target/compare-cpu-raw.jsonl");
        CpuPerWrite.SECTION.publish(out, CpuPerWrite.SECTION.wrap(md.toString()), loadTool, raw);
        log("wrote the CPU-per-write section of " + out + " (raw load-tool results: " + raw + ")");
    }

    /** One phase of the run, for one server in one round. */
    private interface Phase {
        void run(ServerKind server, int round) throws Exception;
    }

    /** Runs {@code phase} for every round and server, the servers taking turns, until the run's deadline. */
    private void eachRoundAndServer(String what, Phase phase) throws Exception {
        for (int round = 1; round <= rounds; round++) {
            for (ServerKind server : ServerKind.values()) {
                if (deadline.passed()) {
                    return;
                }
                log("round " + round + "/" + rounds + ": " + what + server.title);
                phase.run(server, round);
            }
        }
    }

    /** The section {@code --restart-only} writes. */
    static final ReportSection RESTART_SECTION = new ReportSection("bulk-restart", Compare.class);

    /**
     * Only the bulk load, the memory after it (anonymous and file-mapped apart) and the restart on its data, the
     * servers taking turns; replaces its section of the report and leaves the rest of the file as it is.
     */
    private void runRestartOnly(String started, String loadBefore, Map<String, Object> fsync) throws Exception {
        eachRoundAndServer("bulk load and restart, ", this::runBulkAndRestart);
        String loadAfter = RunFacts.loadAverage();
        StringBuilder md = new StringBuilder("## Memory after a bulk load, and restart on its data\n\n");
        md.append("Generated by `benchmarks/compare.sh --restart-only` (`io.corral.bench.compare.Compare`); do not "
                + "edit by hand, re-run the command.\n\n");
        md.append(RunFacts.runLines(started, command, root, work, fsync, loadBefore, loadAfter));
        md.append(String.format(Locale.ROOT, "- servers: child JVMs, `-Xmx%s` each, ZooKeeper with `forceSync=yes`, "
                + "Corral with the flags of `bin/corral-server`; per round and server: a fresh server, a bulk load of "
                + "%,d znodes of 100 B (the load tool, %d sessions x %d in flight), /proc/pid/status, a full GC "
                + "(resident memory read once it settles: G1 returns memory in the background), the heap; then the "
                + "server is stopped and a new JVM started on the same data directory: restart = from its launch "
                + "until it answers `srvr` with every znode, and its memory at once after that\n", xmx,
                bulkCount, clients, inflight));
        md.append(RunFacts.busyWarning(loadBefore, loadAfter));
        md.append("\n").append(figures.summary()).append("\n### Every round\n\n").append(figures.everyRound());
        notes.appendTo(md);
        Path raw = root.resolve("benchmarks/target/compare-restart-raw.jsonl");
        RESTART_SECTION.publish(out, RESTART_SECTION.wrap(md.toString()), loadTool, raw);
    }

    /** A fresh server: memory after a bulk load, then restart-to-serving with that data. */
    private void runBulkAndRestart(ServerKind server, int round) throws Exception {
        Path dir = work.resolve(server.name().toLowerCase(Locale.ROOT) + "-r" + round + "-bulk");
        int port = ServerLauncher.freePort();
        LaunchedServer s = startServer(server, dir, port, 60);
        String bulkLabel = String.format(Locale.ROOT, "%,d", bulkCount);
        long nodesAfterBulk;
        try {
            record("resident memory idle after start (VmRSS)", "MB", false, server, round, rssMb(s.pid()));
            Map<String, Object> r = load(server, round, "bulk", "127.0.0.1:" + port, "--count", "" + bulkCount,
                    "--clients", "" + clients, "--inflight", "" + inflight);
            record("bulk load rate, " + bulkLabel + " znodes of 100 B", "creates/s", true, server, round,
                    r == null ? null : r.get("throughput"));
            record("resident memory after bulk load of " + bulkLabel + " znodes (VmRSS)", "MB", false, server,
                    round, rssMb(s.pid()));
            if (restartOnly) {
                record("  of which anonymous (RssAnon)", "MB", false, server, round, rssMb(s.pid(), "RssAnon:"));
                record("  of which file-mapped (RssFile + RssShmem)", "MB", false, server, round,
                        sum(rssMb(s.pid(), "RssFile:"), rssMb(s.pid(), "RssShmem:")));
            }
            runQuietly(List.of(javaTool("jcmd"), "" + s.pid(), "GC.run"), 120);
            record("resident memory after that and a full GC (jcmd GC.run)", "MB", false, server, round,
                    settledRssMb(s.pid()));
            record("live heap after that full GC (jcmd GC.heap_info, used)", "MB", false, server, round,
                    heapUsedMb(s.pid()));
            nodesAfterBulk = nodeCount(port);
        } finally {
            stop(s);
        }
        String figure = "restart to serving with " + bulkLabel + " znodes";
        if (deadline.passed()) {
            record(figure, "s", false, server, round, null);
            return;
        }
        long launched = System.nanoTime();
        LaunchedServer again = startServer(server, dir, port, 300);
        try {
            long nodes = nodeCount(port);
            if (nodes < nodesAfterBulk) {
                // it came back without the data: a durability failure, so there is no restart time to report
                record(figure, "s", false, server, round, String.format(Locale.ROOT,
                        "n/a — LOST DATA: came back with %d of %d znodes", nodes, nodesAfterBulk));
            } else {
                // serving = srvr answers; ZooKeeper answers srvr only once its database is loaded
                record(figure, "s", false, server, round, (again.servingAt - launched) / 1e9);
            }
            if (restartOnly) {
                long pid = again.pid();
                record("resident memory right after the restart (VmRSS)", "MB", false, server, round, rssMb(pid));
                record("  after the restart: anonymous (RssAnon)", "MB", false, server, round,
                        rssMb(pid, "RssAnon:"));
                record("  after the restart: file-mapped (RssFile + RssShmem)", "MB", false, server, round,
                        sum(rssMb(pid, "RssFile:"), rssMb(pid, "RssShmem:")));
            }
        } finally {
            stop(again);
        }
    }

    private static Object latency(Map<String, Object> r, String key) {
        if (r == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> lat = (Map<String, Object>) r.get("latencyUs");
        Object v = lat.get(key);
        return v instanceof Double d ? d / 1000.0 : null;
    }

    /** {@code higher}: whether a higher value is better (documents the figure; the ratio reads either way). */
    private void record(String figure, String unit, boolean higher, ServerKind server, int round, Object value) {
        figures.record(figure, unit, server.title, round, value);
    }

    // ------------------------------------------------------------------------------------------------ processes

    private LaunchedServer startServer(ServerKind server, Path dir, int port, int timeoutSeconds) throws Exception {
        return launcher.standalone(server, dir, port, Duration.ofSeconds(timeoutSeconds));
    }

    private void stop(LaunchedServer s) {
        children.stop(s.process);
    }

    /** Runs the load tool in its own JVM; returns its JSON result, or null when it failed (noted). */
    private Map<String, Object> load(ServerKind server, int round, String workload, String connect, String... args)
            throws Exception {
        return load(server.key(), server.title, round, workload, connect, args);
    }

    private Map<String, Object> load(String key, String title, int round, String workload, String connect,
                                     String... args) throws Exception {
        if (deadline.passed()) {
            return null;
        }
        List<String> cmd = new ArrayList<>(List.of("--connect", connect, "--workload", workload, "--progress", "0",
                "--label", key + "-r" + round));
        if (!workload.equals("bulk")) {
            cmd.addAll(List.of("--duration", "" + duration, "--warmup", "" + warmup));
        }
        cmd.addAll(Arrays.asList(args));
        Path errLog = work.resolve("load-" + key + "-r" + round + "-" + workload + "-" + System.nanoTime() + ".log");
        long limitS = workload.equals("bulk") ? 1500 : (long) (warmup + duration) + 150;
        // never far past the run's own deadline
        limitS = Math.min(limitS, Math.max(30, deadline.secondsLeft() + 120));
        LoadToolRun.Outcome outcome = loadTool.run(cmd, errLog, limitS);
        if (outcome.problem() != null) {
            notes.add(title, round, workload + ": " + outcome.problem());
        }
        if (!outcome.ok()) {
            return null;
        }
        Map<String, Object> r = outcome.result();
        log(String.format(Locale.ROOT, "  %-7s %10.0f ops/s  p50 %8.2f ms  p99 %8.2f ms  (load tool CPU %.0f%% of a core)",
                workload, r.get("throughput"), outcome.latencyMs("p50"), outcome.latencyMs("p99"),
                r.get("clientCpuPctOfOneCore")));
        return r;
    }

    private void runQuietly(List<String> cmd, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        children.track(p);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            log("  " + cmd + " did not finish in " + timeoutSeconds + " s");
        }
        children.stop(p);
    }

    private static String javaTool(String name) {
        return ServerLauncher.javaTool(name);
    }

    private static long nodeCount(int port) {
        return FourLetterWords.nodeCount(FourLetterWords.srvr(port));
    }

    /** The "used" figure of the heap summary (G1: "garbage-first heap   total 123K, used 45K"). */
    private Double heapUsedMb(long pid) {
        try {
            Process p = new ProcessBuilder(javaTool("jcmd"), "" + pid, "GC.heap_info").redirectErrorStream(true)
                    .start();
            children.track(p);
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            children.stop(p);
            Matcher m = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K").matcher(text);
            return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    private static Double rssMb(long pid) {
        return rssMb(pid, "VmRSS:");
    }

    /**
     * VmRSS once it stops falling (two readings 250 ms apart within 1 MB, at most 5 s): JDK 17's G1 gives the memory
     * a full GC shrank the heap by back to the system on a background thread, after the GC has returned.
     */
    private static Double settledRssMb(long pid) throws InterruptedException {
        Double last = rssMb(pid);
        for (int i = 0; i < 20 && last != null; i++) {
            Thread.sleep(250);
            Double now = rssMb(pid);
            if (now == null || last - now < 1) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static Double sum(Double a, Double b) {
        return a == null || b == null ? null : a + b;
    }

    /** A line of /proc/pid/status in MB: VmRSS, or its parts RssAnon, RssFile, RssShmem. */
    private static Double rssMb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // process gone
        }
        return null;
    }

    private static void log(String text) {
        System.err.println("compare: " + text);
    }

    // ------------------------------------------------------------------------------------------------ report

    private String report(String started, String loadBefore, String loadAfter, Map<String, Object> fsync) {
        StringBuilder md = new StringBuilder();
        md.append("# Corral vs Apache ZooKeeper: results\n\n");
        md.append("Generated by `io.corral.bench.compare.Compare` (see `benchmarks/README.md`); do not edit by hand, "
                + "re-run the command below.\n\n");
        md.append("> Both servers are durable in this run: each acknowledges a write only after its transaction "
                + "log is synced (`forceSync=yes`, group commit on both sides). Every figure comes from one "
                + "machine running the servers and the load tool side by side.\n\n");
        md.append("## Run\n\n");
        md.append(RunFacts.runLines(started, command, root, work, fsync, loadBefore, loadAfter));
        md.append(String.format(Locale.ROOT, "- servers: child JVMs, `-Xmx%s` each, on 127.0.0.1; ZooKeeper "
                        + "`ZooKeeperServerMain` with `forceSync=yes`, dataDir and dataLogDir on the same disk; Corral "
                        + "`io.corral.server.Main` with the flags of `bin/corral-server`%s; one fresh server per "
                        + "phase, in the order ZooKeeper, Corral, ZooKeeper, Corral, ...\n", xmx,
                corralExtraJvm.isEmpty() ? "" : " plus `" + String.join(" ", corralExtraJvm) + "`"));
        md.append(String.format(Locale.ROOT, "- load: the load tool (`io.corral.bench.load.LoadTool`, official "
                        + "ZooKeeper 3.9.5 client unless a row names Corral's client) in its own JVM per workload; %d rounds; %.0f s warm-up + %.0f s "
                        + "measured per workload; closed loop = %d sessions x %d requests in flight; bulk = %,d "
                        + "znodes of 100 B\n", rounds, warmup, duration, clients, inflight, bulkCount));
        if (deadline.reached()) {
            md.append("- **the run hit its time limit**: some figures are missing\n");
        }
        md.append(RunFacts.busyWarning(loadBefore, loadAfter));
        md.append("\n## Results\n\n");
        md.append("Median over rounds; the ratio is Corral / ZooKeeper, computed per round, with its median and its "
                + "spread (min–max over rounds), so it need not equal the ratio of the two medians. For throughput a "
                + "ratio above 1 favours Corral; for latency, memory and time, below 1 does.\n\n");
        md.append(figures.summary());
        md.append("\n## Every round\n\n");
        md.append(figures.everyRound());
        md.append("\n## Notes\n\n");
        md.append("- The load tool and the server share the machine's cores; the load tool's own CPU is reported "
                + "next to the setData throughput (`load tool's own CPU per setData`), and the raw JSON of every run is "
                + "in `benchmarks/target/compare-raw.jsonl` (`clientCpuPctOfOneCore`).\n");
        md.append("- Open-loop latency is counted from each request's scheduled send time, so stalls are charged "
                + "to every request they delayed (no coordinated omission).\n");
        md.append("- Watch latency: from sending the setData to each watcher session receiving its notification; "
                + "every watcher re-arms (getData with watch) before the next write.\n");
        md.append("- Restart to serving: from launching the server JVM on the bulk-loaded data directory until it "
                + "answers `srvr` (ZooKeeper answers it only once its database is loaded), and only if it came "
                + "back with every znode.\n");
        if (quick) {
            md.append("- This was a `--quick` run: short measurements and a small bulk load; use the full run for "
                    + "figures to quote.\n");
        }
        notes.appendTo(md);
        return md.toString();
    }

    /** "2000,5000" as a list of rates per second. */
    private static List<Integer> rates(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(r -> !r.isEmpty()).map(Integer::parseInt)
                .toList();
    }
}
