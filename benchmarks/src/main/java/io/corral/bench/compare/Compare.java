package io.corral.bench.compare;

import io.corral.bench.load.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    enum Server {
        ZOOKEEPER("ZooKeeper 3.9.5"), CORRAL("Corral");

        final String title;

        Server(String title) {
            this.title = title;
        }
    }

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
    private final long deadline;
    private final List<String> corralExtraJvm;
    private final Path work;
    private final Path pidFile;

    private final Set<Process> children = ConcurrentHashMap.newKeySet();
    private final List<String> notes = new ArrayList<>();
    /** figure -> server -> one value per round (null when not measured). */
    private final Map<String, Map<Server, List<Object>>> figures = new LinkedHashMap<>();
    private final Map<String, String> figureUnits = new LinkedHashMap<>();
    private final Map<String, Boolean> higherIsBetter = new LinkedHashMap<>();
    private final List<String> rawLines = new ArrayList<>();
    private boolean timedOut;

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
        deadline = System.nanoTime() + (long) (limitMin * 60e9);
        String extra = o.getOrDefault("corral-jvm-opts", "").trim();
        corralExtraJvm = extra.isEmpty() ? List.of() : Arrays.asList(extra.split("\\s+"));
        work = Files.createTempDirectory("corral-compare-");
        pidFile = Path.of(o.getOrDefault("pidfile", work.resolve("pids").toString()));
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1");
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        Set<String> known = Set.of("root", "quick", "rounds", "duration", "warmup", "bulk-count", "watchers",
                "open-rate", "clients", "inflight", "xmx", "out", "command", "time-limit-min", "corral-jvm-opts",
                "pidfile");
        for (int i = 0; i < args.length; i++) {
            String key = args[i].replaceFirst("^--", "");
            if (!known.contains(key)) {
                System.err.println("compare: unknown option " + args[i] + "; known: " + known);
                System.exit(2);
            }
            boolean isFlag = key.equals("quick");
            o.put(key, isFlag ? "true" : args[++i]);
        }
        Compare compare = new Compare(o);
        Runtime.getRuntime().addShutdownHook(new Thread(compare::stopAll, "compare-cleanup"));
        int status = 0;
        try {
            compare.run();
        } catch (Exception e) {
            System.err.println("compare: failed: " + e);
            e.printStackTrace();
            status = 1;
        } finally {
            compare.stopAll();
        }
        System.exit(status);
    }

    // ------------------------------------------------------------------------------------------------ the run

    private void run() throws Exception {
        Path serverJar = root.resolve("reactive-core/target/corral-server.jar");
        Path benchJar = root.resolve("benchmarks/target/benchmarks.jar");
        for (Path p : List.of(serverJar, benchJar)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException(p + " is missing: build first (benchmarks/compare.sh does)");
            }
        }
        String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String loadBefore = readFirstLine(Path.of("/proc/loadavg"));
        log("work directory " + work + "; " + rounds + " rounds" + (quick ? " (quick)" : ""));
        Map<String, Object> fsync = fsyncProbe(work);
        log(String.format(Locale.ROOT, "fsync probe: median %.0f us, p99 %.0f us over %d fdatasyncs of 4 KiB",
                fsync.get("medianUs"), fsync.get("p99Us"), fsync.get("count")));

        outer:
        for (int round = 1; round <= rounds; round++) {
            for (Server server : Server.values()) {
                if (pastDeadline()) {
                    timedOut = true;
                    break outer;
                }
                log("round " + round + "/" + rounds + ": " + server.title);
                runThroughput(server, round);
                if (pastDeadline()) {
                    timedOut = true;
                    break outer;
                }
                runBulkAndRestart(server, round);
            }
        }
        String loadAfter = readFirstLine(Path.of("/proc/loadavg"));
        String report = report(started, loadBefore, loadAfter, fsync);
        if (Files.exists(out)) { // keep the client comparison's section (ClientCompare writes it)
            String kept = ClientCompare.sectionOf(Files.readString(out));
            if (!kept.isEmpty()) {
                report = report + (report.endsWith("\n") ? "\n" : "\n\n") + kept;
            }
        }
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        Path raw = root.resolve("benchmarks/target/compare-raw.jsonl");
        Files.createDirectories(raw.getParent());
        Files.write(raw, rawLines);
        System.out.println(report);
        log("wrote " + out + " (raw load-tool results: " + raw + ")");
    }

    /** A fresh server: setData, create, getData (closed loop), mixed at a fixed rate (open loop), watch fan-out. */
    private void runThroughput(Server server, int round) throws Exception {
        Path dir = work.resolve(server.name().toLowerCase(Locale.ROOT) + "-r" + round + "-load");
        ServerProcess s = startServer(server, dir, freePort(), 60);
        try {
            String connect = "127.0.0.1:" + s.port;
            String[] loop = {"--clients", "" + clients, "--inflight", "" + inflight};
            Map<String, Object> r;

            r = load(server, round, "set", connect, loop);
            record("setData 100 B throughput (closed loop, " + clients + "x" + inflight + ")", "ops/s", true,
                    server, round, r == null ? null : r.get("throughput"));
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

    /** A fresh server: memory after a bulk load, then restart-to-serving with that data. */
    private void runBulkAndRestart(Server server, int round) throws Exception {
        Path dir = work.resolve(server.name().toLowerCase(Locale.ROOT) + "-r" + round + "-bulk");
        int port = freePort();
        ServerProcess s = startServer(server, dir, port, 60);
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
            runQuietly(List.of(javaTool("jcmd"), "" + s.pid(), "GC.run"), 120);
            record("resident memory after that and a full GC (jcmd GC.run)", "MB", false, server, round,
                    rssMb(s.pid()));
            record("live heap after that full GC (jcmd GC.heap_info, used)", "MB", false, server, round,
                    heapUsedMb(s.pid()));
            nodesAfterBulk = nodeCount(port);
        } finally {
            stop(s);
        }
        String figure = "restart to serving with " + bulkLabel + " znodes";
        if (pastDeadline()) {
            record(figure, "s", false, server, round, null);
            return;
        }
        long launched = System.nanoTime();
        ServerProcess again = startServer(server, dir, port, 300);
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

    private void record(String figure, String unit, boolean higher, Server server, int round, Object value) {
        figureUnits.put(figure, unit);
        higherIsBetter.put(figure, higher);
        Map<Server, List<Object>> byServer = figures.computeIfAbsent(figure, f -> new LinkedHashMap<>());
        List<Object> values = byServer.computeIfAbsent(server, k -> new ArrayList<>(Collections.nCopies(rounds,
                null)));
        values.set(round - 1, value);
    }

    // ------------------------------------------------------------------------------------------------ processes

    private final class ServerProcess {
        final Server server;
        final Process process;
        final int port;
        long servingAt;

        ServerProcess(Server server, Process process, int port) {
            this.server = server;
            this.process = process;
            this.port = port;
        }

        long pid() {
            return process.pid();
        }
    }

    private ServerProcess startServer(Server server, Path dir, int port, int timeoutSeconds) throws Exception {
        Files.createDirectories(dir);
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, String.join("\n",
                "# generated by io.corral.bench.compare.Compare",
                "tickTime=2000",
                "dataDir=" + dir.resolve("data"),
                "dataLogDir=" + dir.resolve("log"),
                "clientPort=" + port,
                "clientPortAddress=127.0.0.1",
                "maxClientCnxns=0",
                "forceSync=yes",
                "4lw.commands.whitelist=srvr",
                "admin.enableServer=false",
                ""));
        List<String> cmd = new ArrayList<>();
        cmd.add(javaTool("java"));
        cmd.add("-Xmx" + xmx);
        if (server == Server.ZOOKEEPER) {
            cmd.add("-Dzookeeper.admin.enableServer=false");
            cmd.add("-Dzookeeper.4lw.commands.whitelist=srvr");
            cmd.add("-cp");
            cmd.add(root.resolve("benchmarks/target/benchmarks.jar").toString());
            cmd.add("org.apache.zookeeper.server.ZooKeeperServerMain");
        } else {
            cmd.addAll(corralJvmFlags());
            cmd.addAll(corralExtraJvm);
            cmd.add("-cp");
            cmd.add(root.resolve("reactive-core/target/corral-server.jar") + ":"
                    + root.resolve("reactive-core/target/lib") + "/*");
            cmd.add("io.corral.server.Main");
        }
        cmd.add(cfg.toString());
        Path logFile = dir.resolve("server.log");
        Files.writeString(logFile, "$ " + String.join(" ", cmd) + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        long launched = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        track(p);
        ServerProcess s = new ServerProcess(server, p, port);
        long limit = launched + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException(server.title + " exited with " + p.exitValue() + "; see " + logFile);
            }
            String answer = srvr(port);
            if (answer != null && answer.contains("Node count:")) {
                s.servingAt = System.nanoTime();
                break;
            }
            if (System.nanoTime() > limit) {
                stop(s);
                throw new IllegalStateException(server.title + " not serving after " + timeoutSeconds + " s");
            }
            Thread.sleep(20);
        }
        log(String.format(Locale.ROOT, "  %s pid %d serving on port %d after %.2f s", server.title, p.pid(), port,
                (s.servingAt - launched) / 1e9));
        return s;
    }

    private void stop(ServerProcess s) {
        stop(s.process);
    }

    private void stop(Process p) {
        if (p.isAlive()) {
            p.destroy(); // SIGTERM to this pid
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

    private void track(Process p) {
        children.add(p);
        writePids();
    }

    private synchronized void writePids() {
        StringBuilder sb = new StringBuilder();
        for (Process p : children) {
            sb.append(p.pid()).append('\n');
        }
        try {
            Files.writeString(pidFile, sb.toString());
        } catch (IOException e) {
            // the pid file is only a fallback for the script's trap
        }
    }

    private void stopAll() {
        for (Process p : new ArrayList<>(children)) {
            stop(p);
        }
    }

    /** Runs the load tool in its own JVM; returns its JSON result, or null when it failed (noted). */
    private Map<String, Object> load(Server server, int round, String workload, String connect, String... args)
            throws Exception {
        if (pastDeadline()) {
            timedOut = true;
            return null;
        }
        List<String> cmd = new ArrayList<>(List.of(javaTool("java"), "-Xmx1g", "-cp",
                root.resolve("benchmarks/target/benchmarks.jar").toString(), "io.corral.bench.load.LoadTool",
                "--connect", connect, "--workload", workload, "--progress", "0",
                "--label", server.name().toLowerCase(Locale.ROOT) + "-r" + round));
        if (!workload.equals("bulk")) {
            cmd.addAll(List.of("--duration", "" + duration, "--warmup", "" + warmup));
        }
        cmd.addAll(Arrays.asList(args));
        Path errLog = work.resolve("load-" + server.name().toLowerCase(Locale.ROOT) + "-r" + round + "-" + workload
                + ".log");
        Process p = new ProcessBuilder(cmd).redirectError(errLog.toFile()).start();
        track(p);
        String stdout;
        try (InputStream in = p.getInputStream()) {
            long limitS = workload.equals("bulk") ? 1500 : (long) (warmup + duration) + 150;
            // never far past the run's own deadline
            limitS = Math.min(limitS, Math.max(30, (deadline - System.nanoTime()) / 1_000_000_000L + 120));
            Thread reader = null;
            StringBuilder sb = new StringBuilder();
            reader = new Thread(() -> {
                try {
                    sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // process killed
                }
            });
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(limitS, TimeUnit.SECONDS)) {
                stop(p);
                note(server, round, workload + ": load tool killed after " + limitS + " s");
                return null;
            }
            reader.join(5_000);
            stdout = sb.toString();
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
            note(server, round, workload + ": load tool failed (exit " + p.exitValue() + "), see " + errLog);
            return null;
        }
        rawLines.add(json);
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) Json.parse(json);
        Object errors = r.get("errors");
        if (errors instanceof Double d && d > 0) {
            note(server, round, workload + ": " + d.longValue() + " requests failed (first error code "
                    + r.get("firstErrorCode") + ")");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> lat = (Map<String, Object>) r.get("latencyUs");
        log(String.format(Locale.ROOT, "  %-7s %10.0f ops/s  p50 %8.2f ms  p99 %8.2f ms  (load tool CPU %.0f%% of a core)",
                workload, r.get("throughput"), (Double) lat.get("p50") / 1e3, (Double) lat.get("p99") / 1e3,
                r.get("clientCpuPctOfOneCore")));
        return r;
    }

    private void note(Server server, int round, String text) {
        String line = "round " + round + ", " + server.title + ": " + text;
        notes.add(line);
        log("  NOTE " + line);
    }

    private void runQuietly(List<String> cmd, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        track(p);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            log("  " + cmd + " did not finish in " + timeoutSeconds + " s");
        }
        stop(p);
    }

    private List<String> corralJvmFlags() throws IOException {
        // the flags bin/corral-server starts the server with (Chronicle's opens/exports, analytics off)
        List<String> flags = new ArrayList<>();
        boolean inside = false;
        for (String line : Files.readAllLines(root.resolve("bin/corral-server"))) {
            String t = line.trim();
            if (t.startsWith("jvm_flags=(")) {
                inside = true;
                continue;
            }
            if (inside) {
                if (t.startsWith(")")) {
                    break;
                }
                if (!t.isEmpty() && !t.startsWith("#")) {
                    flags.add(t);
                }
            }
        }
        if (flags.isEmpty()) {
            throw new IllegalStateException("no jvm_flags=( ... ) found in bin/corral-server");
        }
        return flags;
    }

    private static String javaTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** The srvr four-letter word's answer, or null if the port does not answer (yet). */
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

    private static long nodeCount(int port) {
        String answer = srvr(port);
        if (answer != null) {
            Matcher m = Pattern.compile("Node count: (\\d+)").matcher(answer);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        return -1;
    }

    /** The "used" figure of the heap summary (G1: "garbage-first heap   total 123K, used 45K"). */
    private Double heapUsedMb(long pid) {
        try {
            Process p = new ProcessBuilder(javaTool("jcmd"), "" + pid, "GC.heap_info").redirectErrorStream(true)
                    .start();
            track(p);
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            stop(p);
            Matcher m = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K").matcher(text);
            return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    private static Double rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // process gone
        }
        return null;
    }

    private boolean pastDeadline() {
        if (System.nanoTime() > deadline) {
            if (!timedOut) {
                log("time limit reached: skipping the rest");
            }
            timedOut = true;
            return true;
        }
        return false;
    }

    private static void log(String text) {
        System.err.println("compare: " + text);
    }

    // ------------------------------------------------------------------------------------------------ machine

    /** fdatasync cost of this disk, where the servers keep their data: 4 KiB appends, each forced. */
    private static Map<String, Object> fsyncProbe(Path dir) throws IOException {
        Path file = dir.resolve("fsync-probe");
        List<Long> micros = new ArrayList<>();
        ByteBuffer block = ByteBuffer.allocate(4096);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int i = 0; i < 200 && System.nanoTime() < end; i++) {
                block.clear();
                ch.write(block);
                long t0 = System.nanoTime();
                ch.force(false);
                micros.add((System.nanoTime() - t0) / 1_000);
            }
        } finally {
            Files.deleteIfExists(file);
        }
        Collections.sort(micros);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("count", micros.size());
        r.put("medianUs", (double) micros.get(micros.size() / 2));
        r.put("p99Us", (double) micros.get(Math.min(micros.size() - 1, (int) Math.ceil(micros.size() * 0.99) - 1)));
        return r;
    }

    private static double loadAverage(String loadavg) {
        try {
            return Double.parseDouble(loadavg.split("\\s+")[0]);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String readFirstLine(Path p) {
        try {
            List<String> lines = Files.readAllLines(p);
            return lines.isEmpty() ? "?" : lines.get(0).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String grep(Path p, String prefix) {
        try {
            for (String line : Files.readAllLines(p)) {
                if (line.startsWith(prefix)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "?";
    }

    private String git(String... args) {
        try {
            List<String> cmd = new ArrayList<>(List.of("git", "-C", root.toString()));
            cmd.addAll(Arrays.asList(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return s;
        } catch (Exception e) {
            return "?";
        }
    }

    // ------------------------------------------------------------------------------------------------ report

    private String report(String started, String loadBefore, String loadAfter, Map<String, Object> fsync) {
        StringBuilder md = new StringBuilder();
        String dirty = git("status", "--porcelain", "--untracked-files=no").isEmpty() ? "" : " (with local changes)";
        md.append("# Corral vs Apache ZooKeeper: results\n\n");
        md.append("Generated by `io.corral.bench.compare.Compare` (see `benchmarks/README.md`); do not edit by hand, "
                + "re-run the command below.\n\n");
        md.append("> Both servers are durable in this run: each acknowledges a write only after its transaction "
                + "log is synced (`forceSync=yes`, group commit on both sides). Every figure comes from one "
                + "machine running the servers and the load tool side by side.\n\n");
        md.append("## Run\n\n");
        md.append("- date: ").append(started).append('\n');
        md.append("- command: `").append(command).append("`\n");
        md.append("- commit: ").append(git("rev-parse", "--short", "HEAD")).append(dirty).append('\n');
        md.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores (")
                .append(grep(Path.of("/proc/cpuinfo"), "model name")).append("), ")
                .append(grep(Path.of("/proc/meminfo"), "MemTotal")).append(" memory, Linux ")
                .append(System.getProperty("os.version")).append('\n');
        md.append("- JDK: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" (").append(System.getProperty(
                        "java.vm.vendor")).append(")\n");
        md.append(String.format(Locale.ROOT, "- disk: fdatasync of a 4 KiB append in the servers' data directory "
                        + "(%s): median %.0f µs, p99 %.0f µs (%d samples)\n", work, fsync.get("medianUs"),
                fsync.get("p99Us"), fsync.get("count")));
        md.append("- load average (1/5/15 min, running/total, last pid) before: `").append(loadBefore)
                .append("`, after: `").append(loadAfter).append("`\n");
        md.append(String.format(Locale.ROOT, "- servers: child JVMs, `-Xmx%s` each, on 127.0.0.1; ZooKeeper "
                        + "`ZooKeeperServerMain` with `forceSync=yes`, dataDir and dataLogDir on the same disk; Corral "
                        + "`io.corral.server.Main` with the flags of `bin/corral-server`%s; one fresh server per "
                        + "phase, in the order ZooKeeper, Corral, ZooKeeper, Corral, ...\n", xmx,
                corralExtraJvm.isEmpty() ? "" : " plus `" + String.join(" ", corralExtraJvm) + "`"));
        md.append(String.format(Locale.ROOT, "- load: the load tool (`io.corral.bench.load.LoadTool`, official "
                        + "ZooKeeper 3.9.5 client unless a row names Corral's client) in its own JVM per workload; %d rounds; %.0f s warm-up + %.0f s "
                        + "measured per workload; closed loop = %d sessions x %d requests in flight; bulk = %,d "
                        + "znodes of 100 B\n", rounds, warmup, duration, clients, inflight, bulkCount));
        if (timedOut) {
            md.append("- **the run hit its time limit**: some figures are missing\n");
        }
        double busiest = Math.max(loadAverage(loadBefore), loadAverage(loadAfter));
        int cores = Runtime.getRuntime().availableProcessors();
        if (busiest > 0.5 * cores) {
            md.append(String.format(Locale.ROOT, "- **the machine was busy** (1-minute load average up to %.1f on %d "
                    + "cores, other work included): treat these figures as provisional and re-run the same command "
                    + "on a quiet machine\n", busiest, cores));
        }
        md.append("\n## Results\n\n");
        md.append("Median over rounds; the ratio is Corral / ZooKeeper, computed per round, with its median and its "
                + "spread (min–max over rounds), so it need not equal the ratio of the two medians. For throughput a "
                + "ratio above 1 favours Corral; for latency, memory and time, below 1 does.\n\n");
        md.append("| figure | unit | ZooKeeper | Corral | Corral / ZooKeeper | spread of the ratio |\n");
        md.append("|---|---|--:|--:|--:|--:|\n");
        for (Map.Entry<String, Map<Server, List<Object>>> e : figures.entrySet()) {
            String figure = e.getKey();
            List<Object> zk = e.getValue().getOrDefault(Server.ZOOKEEPER, List.of());
            List<Object> co = e.getValue().getOrDefault(Server.CORRAL, List.of());
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                Double a = number(i < co.size() ? co.get(i) : null);
                Double b = number(i < zk.size() ? zk.get(i) : null);
                if (a != null && b != null && b != 0) {
                    ratios.add(a / b);
                }
            }
            Collections.sort(ratios);
            md.append("| ").append(figure).append(" | ").append(figureUnits.get(figure)).append(" | ")
                    .append(summary(zk)).append(" | ").append(summary(co)).append(" | ")
                    .append(ratios.isEmpty() ? "—" : fmt(median(ratios))).append(" | ")
                    .append(ratios.isEmpty() ? "—" : fmt(ratios.get(0)) + "–" + fmt(ratios.get(ratios.size() - 1)))
                    .append(" |\n");
        }
        md.append("\n## Every round\n\n");
        md.append("| figure | server | ");
        for (int i = 1; i <= rounds; i++) {
            md.append("round ").append(i).append(" | ");
        }
        md.append("\n|---|---|");
        md.append("--:|".repeat(rounds)).append('\n');
        for (Map.Entry<String, Map<Server, List<Object>>> e : figures.entrySet()) {
            for (Server server : Server.values()) {
                List<Object> values = e.getValue().getOrDefault(server, List.of());
                md.append("| ").append(e.getKey()).append(" | ").append(server.title).append(" | ");
                for (int i = 0; i < rounds; i++) {
                    Object v = i < values.size() ? values.get(i) : null;
                    md.append(v == null ? "—" : v instanceof Double d ? fmt(d) : v.toString()).append(" | ");
                }
                md.append('\n');
            }
        }
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
        for (String n : notes) {
            md.append("- ").append(n).append('\n');
        }
        return md.toString();
    }

    private static Double number(Object v) {
        return v instanceof Double d ? d : null;
    }

    private static String summary(List<Object> values) {
        List<Double> numbers = new ArrayList<>();
        String text = null;
        for (Object v : values) {
            if (v instanceof Double d) {
                numbers.add(d);
            } else if (v != null) {
                text = v.toString();
            }
        }
        if (numbers.isEmpty()) {
            return text == null ? "—" : text;
        }
        Collections.sort(numbers);
        return fmt(median(numbers));
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String fmt(double v) {
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
