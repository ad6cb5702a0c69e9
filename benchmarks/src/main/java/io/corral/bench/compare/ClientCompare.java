package io.corral.bench.compare;

import io.corral.bench.load.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Corral's reactive client side by side with the official ZooKeeper 3.9.5 client, in one run, on the same server
 * and at the same number of requests in flight: getData and setData throughput and latency (closed loop), and
 * watch-stream delivery latency (write to subscriber; persistent watches, never re-armed). Done against a Corral
 * server and an Apache ZooKeeper server, each a child JVM; every load-tool run is its own JVM too. Writes its
 * section of benchmarks/RESULTS.md between {@link #BEGIN} and {@link #END} (replacing an earlier one; Compare keeps
 * it when it rewrites the file). Run it through benchmarks/client-compare.sh. Every process it starts is stopped
 * by pid, also on failure.
 */
public final class ClientCompare {
    static final String BEGIN = "<!-- client-compare:begin (written by io.corral.bench.compare.ClientCompare) -->";
    static final String END = "<!-- client-compare:end -->";

    private static final List<String> CLIENTS = List.of("zk", "corral");
    private static final Map<String, String> CLIENT_TITLES = Map.of("zk", "ZooKeeper client", "corral",
            "Corral client");

    private final Path root;
    private final Path out;
    private final Path work;
    private final Path pidFile;
    private final String command;
    private final double duration;
    private final double warmup;
    private final int clients;
    private final int inflight;
    private final int watchers;
    private final long deadline;
    private final Set<Process> children = ConcurrentHashMap.newKeySet();
    private final List<String> notes = new ArrayList<>();
    /** server -> workload -> client -> load-tool result. */
    private final Map<String, Map<String, Map<String, Map<String, Object>>>> results = new LinkedHashMap<>();

    private ClientCompare(Map<String, String> o) throws IOException {
        root = Path.of(o.getOrDefault("root", ".")).toAbsolutePath().normalize();
        out = root.resolve(o.getOrDefault("out", "benchmarks/RESULTS.md"));
        pidFile = o.containsKey("pidfile") ? Path.of(o.get("pidfile")) : null;
        command = o.getOrDefault("command", "benchmarks/client-compare.sh");
        duration = Double.parseDouble(o.getOrDefault("duration", "3"));
        warmup = Double.parseDouble(o.getOrDefault("warmup", "1"));
        clients = Integer.parseInt(o.getOrDefault("clients", "4"));
        inflight = Integer.parseInt(o.getOrDefault("inflight", "16"));
        watchers = Integer.parseInt(o.getOrDefault("watchers", "20"));
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(o.getOrDefault("time-limit-s", "170")));
        work = Files.createTempDirectory("corral-client-compare-");
    }

    public static void main(String[] args) throws Exception {
        Set<String> known = Set.of("root", "out", "pidfile", "command", "duration", "warmup", "clients", "inflight",
                "watchers", "time-limit-s");
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String key = args[i].replaceFirst("^--", "");
            if (!known.contains(key) || i + 1 >= args.length) {
                System.err.println("client-compare: unknown option or missing value: " + args[i] + "; known: " + known);
                System.exit(2);
            }
            o.put(key, args[++i]);
        }
        ClientCompare c = new ClientCompare(o);
        Runtime.getRuntime().addShutdownHook(new Thread(c::stopAll, "client-compare-cleanup"));
        int status = 0;
        try {
            c.run();
        } catch (Exception e) {
            System.err.println("client-compare: failed: " + e);
            e.printStackTrace();
            status = 1;
        } finally {
            c.stopAll();
        }
        System.exit(status);
    }

    private void run() throws Exception {
        String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        for (String server : List.of("corral", "zookeeper")) {
            Process p = startServer(server);
            int port = portOf(p);
            String connect = "127.0.0.1:" + port;
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
            stop(p);
        }
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
        String section = section(started, loadBefore, loadAfter);
        writeSection(out, section);
        System.out.println(section);
        log("wrote the client section of " + out);
    }

    // ------------------------------------------------------------------------------------------------ processes

    private final Map<Process, Integer> ports = new ConcurrentHashMap<>();

    private int portOf(Process p) {
        return ports.get(p);
    }

    private Process startServer(String server) throws Exception {
        Path dir = work.resolve(server);
        Files.createDirectories(dir);
        int port = freePort();
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, String.join("\n",
                "# generated by io.corral.bench.compare.ClientCompare",
                "tickTime=2000", "dataDir=" + dir.resolve("data"), "dataLogDir=" + dir.resolve("log"),
                "clientPort=" + port, "clientPortAddress=127.0.0.1", "maxClientCnxns=0", "forceSync=yes",
                "4lw.commands.whitelist=srvr", "admin.enableServer=false", ""));
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx1g"));
        if (server.equals("zookeeper")) {
            cmd.addAll(List.of("-Dzookeeper.admin.enableServer=false", "-Dzookeeper.4lw.commands.whitelist=srvr",
                    "-cp", root.resolve("benchmarks/target/benchmarks.jar").toString(),
                    "org.apache.zookeeper.server.ZooKeeperServerMain"));
        } else {
            cmd.addAll(corralJvmFlags());
            cmd.addAll(List.of("-cp", root.resolve("reactive-core/target/corral-server.jar") + ":"
                    + root.resolve("reactive-core/target/lib") + "/*", "io.corral.server.Main"));
        }
        cmd.add(cfg.toString());
        Path logFile = dir.resolve("server.log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(logFile.toFile()).start();
        track(p);
        ports.put(p, port);
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException(server + " exited with " + p.exitValue() + "; see " + logFile);
            }
            String answer = srvr(port);
            if (answer != null && answer.contains("Node count:")) {
                break;
            }
            if (System.nanoTime() > limit) {
                throw new IllegalStateException(server + " not serving after 60 s; see " + logFile);
            }
            Thread.sleep(20); // polling a child process's port from the driver's own thread
        }
        log(server + " pid " + p.pid() + " serving on port " + port);
        return p;
    }

    private Map<String, Object> load(String server, String workload, String client, String connect)
            throws Exception {
        long left = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime());
        if (left < warmup + duration + 10) {
            notes.add(server + " / " + workload + " / " + client + ": skipped, the run's time limit was near");
            return null;
        }
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx1g", "-cp",
                root.resolve("benchmarks/target/benchmarks.jar").toString(), "io.corral.bench.load.LoadTool",
                "--connect", connect, "--workload", workload, "--client", client, "--progress", "0",
                "--duration", "" + duration, "--warmup", "" + warmup, "--keys", "1000",
                "--label", server + "-" + client, "--time-limit", "" + Math.min(left, (long) (warmup + duration) + 60)));
        if (workload.equals("stream")) {
            cmd.addAll(List.of("--watchers", "" + watchers));
        } else {
            cmd.addAll(List.of("--clients", "" + clients, "--inflight", "" + inflight));
        }
        Path errLog = work.resolve("load-" + server + "-" + workload + "-" + client + ".log");
        Process p = new ProcessBuilder(cmd).redirectError(errLog.toFile()).start();
        track(p);
        String stdout;
        try (InputStream in = p.getInputStream()) {
            stdout = new String(in.readAllBytes(), StandardCharsets.UTF_8); // ends when the process does
            p.waitFor(30, TimeUnit.SECONDS);
        } finally {
            stop(p);
        }
        String json = null;
        for (String line : stdout.split("\n")) {
            if (line.startsWith("{")) {
                json = line;
            }
        }
        if (p.exitValue() != 0 || json == null) {
            notes.add(server + " / " + workload + " / " + client + ": load tool failed (exit " + p.exitValue()
                    + "), see " + errLog);
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) Json.parse(json);
        if (r.get("errors") instanceof Double d && d > 0) {
            notes.add(server + " / " + workload + " / " + client + ": " + d.longValue() + " requests failed");
        }
        log(String.format(Locale.ROOT, "%-9s %-6s %-6s %10.0f ops/s  p50 %7.3f ms  p99 %7.3f ms", server, workload,
                client, r.get("throughput"), latencyMs(r, "p50"), latencyMs(r, "p99")));
        return r;
    }

    private void track(Process p) {
        children.add(p);
        writePids();
    }

    private void stop(Process p) {
        if (p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        children.remove(p);
        writePids();
    }

    private void stopAll() {
        for (Process p : new ArrayList<>(children)) {
            stop(p);
        }
    }

    private synchronized void writePids() {
        if (pidFile == null) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        children.forEach(p -> sb.append(p.pid()).append('\n'));
        try {
            Files.writeString(pidFile, sb.toString());
        } catch (IOException e) {
            // only a fallback for the script's trap
        }
    }

    private List<String> corralJvmFlags() throws IOException {
        List<String> flags = new ArrayList<>();
        boolean inside = false;
        for (String line : Files.readAllLines(root.resolve("bin/corral-server"))) {
            String t = line.trim();
            if (t.startsWith("jvm_flags=(")) {
                inside = true;
            } else if (inside && t.startsWith(")")) {
                break;
            } else if (inside && !t.isEmpty() && !t.startsWith("#")) {
                flags.add(t);
            }
        }
        if (flags.isEmpty()) {
            throw new IllegalStateException("no jvm_flags=( ... ) in bin/corral-server");
        }
        return flags;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static String srvr(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            socket.setSoTimeout(5_000);
            OutputStream os = socket.getOutputStream();
            os.write("srvr".getBytes(StandardCharsets.US_ASCII));
            os.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
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
        sb.append(BEGIN).append("\n\n## Corral's client against the official ZooKeeper client\n\n");
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
        double busiest = Math.max(oneMinute(loadBefore), oneMinute(loadAfter));
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
        sb.append('\n').append(END).append('\n');
        return sb.toString();
    }

    private static double oneMinute(String loadavg) {
        try {
            return Double.parseDouble(loadavg.split("\\s+")[0]);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Replaces the section between the markers in {@code file}, or appends it. */
    static void writeSection(Path file, String section) throws IOException {
        String text = Files.exists(file) ? Files.readString(file) : "";
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        String updated;
        if (b >= 0 && e > b) {
            int after = e + END.length();
            if (after < text.length() && text.charAt(after) == '\n') {
                after++;
            }
            updated = text.substring(0, b) + section + text.substring(after);
        } else {
            updated = text + (text.isEmpty() || text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n")
                    + section;
        }
        Files.writeString(file, updated);
    }

    /** The section between the markers in {@code previous}, or "" (Compare keeps it when it rewrites the file). */
    static String sectionOf(String previous) {
        int b = previous.indexOf(BEGIN);
        int e = previous.indexOf(END);
        return b >= 0 && e > b ? previous.substring(b, e + END.length()) + "\n" : "";
    }
}
