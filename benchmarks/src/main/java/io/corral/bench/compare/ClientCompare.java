package io.corral.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Corral's reactive client side by side with the official ZooKeeper 3.9.5 client, in one run, on the same server
 * and at the same number of requests in flight: getData and setData throughput and latency (closed loop), and
 * watch-stream delivery latency (write to subscriber; persistent watches, never re-armed). Done against a Corral
 * server and an Apache ZooKeeper server, each a child JVM; every load-tool run is its own JVM too. Writes its
 * section of benchmarks/RESULTS.md ({@link ReportSection#CLIENT_COMPARE}, replacing an earlier one; Compare keeps
 * it when it rewrites the file). Run it through benchmarks/client-compare.sh. Every process it starts is stopped
 * by pid, also on failure.
 */
public final class ClientCompare {
    private static final List<String> CLIENTS = List.of("zk", "corral");
    private static final Map<String, String> CLIENT_TITLES = Map.of("zk", "ZooKeeper client", "corral",
            "Corral client");

    private final Path root;
    private final Path out;
    private final Path work;
    private final String command;
    private final double duration;
    private final double warmup;
    private final int clients;
    private final int inflight;
    private final int watchers;
    private final long deadline;
    private final ChildProcesses children;
    private final ServerLauncher launcher;
    private final LoadToolRun loadTool;
    private final List<String> notes = new ArrayList<>();
    /** server -> workload -> client -> load-tool result. */
    private final Map<String, Map<String, Map<String, Map<String, Object>>>> results = new LinkedHashMap<>();

    private ClientCompare(Map<String, String> o) throws IOException {
        root = Path.of(o.getOrDefault("root", ".")).toAbsolutePath().normalize();
        out = root.resolve(o.getOrDefault("out", "benchmarks/RESULTS.md"));
        children = new ChildProcesses(o.containsKey("pidfile") ? Path.of(o.get("pidfile")) : null);
        command = o.getOrDefault("command", "benchmarks/client-compare.sh");
        duration = Double.parseDouble(o.getOrDefault("duration", "3"));
        warmup = Double.parseDouble(o.getOrDefault("warmup", "1"));
        clients = Integer.parseInt(o.getOrDefault("clients", "4"));
        inflight = Integer.parseInt(o.getOrDefault("inflight", "16"));
        watchers = Integer.parseInt(o.getOrDefault("watchers", "20"));
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(o.getOrDefault("time-limit-s", "170")));
        work = WorkDirectory.create("corral-client-compare-");
        launcher = new ServerLauncher(root, children, "1g", List.of(), ClientCompare.class.getName(),
                ClientCompare::log);
        loadTool = new LoadToolRun(root.resolve("benchmarks/target/benchmarks.jar"), children);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = DriverCli.options("client-compare", args, Set.of("root", "out", "pidfile", "command",
                "duration", "warmup", "clients", "inflight", "watchers", "time-limit-s"), Set.of());
        ClientCompare c = new ClientCompare(o);
        DriverCli.runThenExit("client-compare", c.children, c::run);
    }

    private void run() throws Exception {
        String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        for (String server : List.of("corral", "zookeeper")) {
            ServerKind kind = server.equals("corral") ? ServerKind.CORRAL : ServerKind.ZOOKEEPER;
            LaunchedServer s = launcher.standalone(kind, work.resolve(server), ServerLauncher.freePort(),
                    Duration.ofSeconds(60));
            String connect = s.address();
            Map<String, Map<String, Map<String, Object>>> byWorkload = new LinkedHashMap<>();
            results.put(server, byWorkload);
            int turn = 0;
            for (String workload : List.of("get", "set", "stream")) {
                Map<String, Map<String, Object>> byClient = new LinkedHashMap<>();
                byWorkload.put(workload, byClient);
                // alternate which client goes first, so neither always meets the warmer server
                List<String> order = turn++ % 2 == 0 ? CLIENTS : List.of(CLIENTS.get(1), CLIENTS.get(0));
                for (String client : order) {
                    byClient.put(client, load(server, workload, client, connect));
                }
            }
            children.stop(s.process);
        }
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
        String section = section(started, loadBefore, loadAfter);
        ReportSection.CLIENT_COMPARE.write(out, section);
        System.out.println(section);
        log("wrote the client section of " + out);
    }

    // ------------------------------------------------------------------------------------------------ processes

    private Map<String, Object> load(String server, String workload, String client, String connect)
            throws Exception {
        long left = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime());
        if (left < warmup + duration + 10) {
            notes.add(server + " / " + workload + " / " + client + ": skipped, the run's time limit was near");
            return null;
        }
        List<String> cmd = new ArrayList<>(List.of("--connect", connect, "--workload", workload, "--client", client,
                "--progress", "0", "--duration", "" + duration, "--warmup", "" + warmup, "--keys", "1000",
                "--label", server + "-" + client));
        if (workload.equals("stream")) {
            cmd.addAll(List.of("--watchers", "" + watchers));
        } else {
            cmd.addAll(List.of("--clients", "" + clients, "--inflight", "" + inflight));
        }
        Path errLog = work.resolve("load-" + server + "-" + workload + "-" + client + ".log");
        LoadToolRun.Outcome outcome = loadTool.run(cmd, errLog, Math.min(left, (long) (warmup + duration) + 60));
        if (!outcome.ok()) {
            notes.add(server + " / " + workload + " / " + client + ": " + outcome.failure());
            return null;
        }
        Map<String, Object> r = outcome.result();
        if (outcome.errors() > 0) {
            notes.add(server + " / " + workload + " / " + client + ": " + outcome.errors() + " requests failed");
        }
        log(String.format(Locale.ROOT, "%-9s %-6s %-6s %10.0f ops/s  p50 %7.3f ms  p99 %7.3f ms", server, workload,
                client, r.get("throughput"), latencyMs(r, "p50"), latencyMs(r, "p99")));
        return r;
    }

    private static void log(String text) {
        System.err.println("client-compare: " + text);
    }

    // ------------------------------------------------------------------------------------------------ report

    private static double latencyMs(Map<String, Object> r, String key) {
        @SuppressWarnings("unchecked")
        Map<String, Object> lat = (Map<String, Object>) r.get("latencyUs");
        return ((Double) lat.get(key)) / 1e3;
    }

    private static String num(Map<String, Object> r, String what) {
        if (r == null) {
            return "n/a";
        }
        return switch (what) {
            case "throughput" -> String.format(Locale.ROOT, "%,.0f", (Double) r.get("throughput"));
            case "cpu" -> r.get("clientCpuUsPerOp") == null ? "n/a"
                    : String.format(Locale.ROOT, "%.1f", (Double) r.get("clientCpuUsPerOp"));
            default -> String.format(Locale.ROOT, "%.3f", latencyMs(r, what));
        };
    }

    private static String ratio(Map<String, Object> corral, Map<String, Object> zk, String what) {
        if (corral == null || zk == null) {
            return "n/a";
        }
        double a = what.equals("throughput") ? (Double) corral.get("throughput") : latencyMs(corral, what);
        double b = what.equals("throughput") ? (Double) zk.get("throughput") : latencyMs(zk, what);
        return b == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    private String section(String started, String loadBefore, String loadAfter) {
        StringBuilder sb = new StringBuilder();
        sb.append("## Corral's client against the official ZooKeeper client\n\n");
        sb.append("Generated by `io.corral.bench.compare.ClientCompare`; do not edit by hand, re-run the command.\n\n");
        sb.append("- date: ").append(started).append('\n');
        sb.append("- command: `").append(command).append("`\n");
        sb.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores; load average "
                + "before `").append(loadBefore).append("`, after `").append(loadAfter).append("`\n");
        sb.append(String.format(Locale.ROOT, "- method: one server at a time (Corral, then Apache ZooKeeper 3.9.5; "
                + "child JVMs, -Xmx1g, forceSync=yes); against each, the load tool (its own JVM per run) with "
                + "`--client zk` (the official client's async API) and `--client corral` (Corral's reactive "
                + "client), in alternating order; closed loop with %d sessions x %d requests in flight for both "
                + "clients, 100 B values on 1,000 znodes; %.0f s warm-up + %.0f s measured per run, one round. "
                + "Stream: %d sessions each with a persistent watch on one znode (`addWatch` / `watch(path, NODE)`), "
                + "one writer; latency from sending the setData to each session's delivery; the next write once "
                + "all have it.%n", clients, inflight, warmup, duration, watchers));
        sb.append("- the servers, both clients and the load generator share the machine's cores: on a small or "
                + "busy machine the figures are provisional\n");
        double busiest = Math.max(RunFacts.oneMinute(loadBefore), RunFacts.oneMinute(loadAfter));
        int cores = Runtime.getRuntime().availableProcessors();
        if (busiest > cores) {
            sb.append(String.format(Locale.ROOT, "- **the machine was busy** (1-minute load average up to %.1f on %d "
                    + "cores, other work included): these figures are provisional; re-run the command on a quiet "
                    + "machine%n", busiest, cores));
        }
        sb.append('\n');
        sb.append("| server | workload | ZooKeeper client ops/s | Corral client ops/s | Corral / ZooKeeper "
                + "| ZooKeeper client p50 / p99 ms | Corral client p50 / p99 ms | p99 Corral / ZooKeeper "
                + "| client CPU µs/op ZooKeeper / Corral |\n");
        sb.append("|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
        Map<String, String> titles = Map.of("get", "getData 100 B", "set", "setData 100 B", "stream",
                "watch stream (write → subscriber)");
        for (var server : results.entrySet()) {
            for (var workload : server.getValue().entrySet()) {
                Map<String, Object> zk = workload.getValue().get("zk");
                Map<String, Object> corral = workload.getValue().get("corral");
                boolean stream = workload.getKey().equals("stream");
                sb.append("| ").append(server.getKey().equals("corral") ? "Corral" : "ZooKeeper 3.9.5")
                        .append(" | ").append(titles.get(workload.getKey()))
                        .append(" | ").append(stream ? "—" : num(zk, "throughput"))
                        .append(" | ").append(stream ? "—" : num(corral, "throughput"))
                        .append(" | ").append(stream ? "—" : ratio(corral, zk, "throughput"))
                        .append(" | ").append(num(zk, "p50")).append(" / ").append(num(zk, "p99"))
                        .append(" | ").append(num(corral, "p50")).append(" / ").append(num(corral, "p99"))
                        .append(" | ").append(ratio(corral, zk, "p99"))
                        .append(" | ").append(stream ? "—" : num(zk, "cpu") + " / " + num(corral, "cpu"))
                        .append(" |\n");
            }
        }
        sb.append("\nTarget of the client issue: at equal requests in flight, Corral's client at least 1.5x the "
                + "official client's throughput, with a lower p99. Verdict per row (throughput rows):\n\n");
        for (var server : results.entrySet()) {
            for (String w : List.of("get", "set")) {
                Map<String, Map<String, Object>> row = server.getValue().get(w);
                if (row == null || row.get("zk") == null || row.get("corral") == null) {
                    continue;
                }
                double r = (Double) row.get("corral").get("throughput") / (Double) row.get("zk").get("throughput");
                boolean lowerP99 = latencyMs(row.get("corral"), "p99") < latencyMs(row.get("zk"), "p99");
                sb.append(String.format(Locale.ROOT, "- %s, %s: %.2fx throughput (%s), p99 %s%n",
                        server.getKey().equals("corral") ? "Corral server" : "ZooKeeper server", titles.get(w), r,
                        r >= 1.5 ? "meets 1.5x" : "**falls short of 1.5x**",
                        lowerP99 ? "lower" : "**not lower**"));
            }
        }
        if (!notes.isEmpty()) {
            sb.append("\nNotes:\n\n");
            notes.forEach(n -> sb.append("- ").append(n).append('\n'));
        }
        return ReportSection.CLIENT_COMPARE.wrap(sb.toString());
    }

}
