package io.corral.bench.compare;

import io.corral.log.LogEntry;
import io.corral.log.LogOptions;
import io.corral.log.TxnLog;
import io.corral.protocol.Acl;
import io.corral.protocol.OpCode;
import io.corral.server.config.DataDirectories;
import io.corral.server.txn.Txn;
import io.corral.server.txn.TxnCodec;
import io.corral.server.txn.TxnHeader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a Corral server takes to come back on a data directory whose log holds a long tail after the newest
 * snapshot (here: no snapshot at all), in fresh server JVMs, as after a kill -9:
 *
 * <ul>
 *   <li>{@code member}: one member of a three-server ensemble restarted alone (its peers are not running), from the
 *       launch of its JVM to the log line that says it starts looking for a leader: before that it cannot vote;</li>
 *   <li>{@code standalone}: a standalone server, from launch to listening for clients with the whole tail applied;</li>
 *   <li>{@code ensemble}: three members restarted together on the same log, from launch until every one of them
 *       serves (srvr): election, synchronisation and the commit, then apply, of the whole tail.</li>
 * </ul>
 *
 * <p>The data directory is written once per scenario (the log through {@link TxnLog}, as the server writes it: one
 * session, {@code --znodes} creates, then setData of {@code --size} bytes on them in turn, in epoch 1); each run
 * starts the server on a copy of the page-cached files, so the figure is the replay, not the disk's first read. The
 * server's own phase lines (log opened, snapshot, tail) are printed beside the wall-clock figures.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.corral.bench.compare.RestartReplay --root . --entries 100000 --runs 5
 * </pre>
 */
public final class RestartReplay {
    private static final Set<String> OPTIONS = Set.of("root", "pidfile", "entries", "runs", "znodes", "size", "xmx",
            "scenarios", "jfr", "dir", "baseline", "jvm", "out", "command");
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern MS = Pattern.compile("in (\\d+) ms");
    private static final String TOTAL = "JVM launch → the line (wall clock)";
    private static final String JVM_CPU = "JVM CPU time until the line";
    private static final String THREAD_CPU = ", CPU of the thread";
    /** USER_HZ of /proc/pid/stat: 100 on Linux. */
    private static final double CLOCK_TICKS = 100;
    private static final Pattern PHASE = Pattern.compile("(.+) in (\\d+) ms \\(CPU (\\d+) ms\\)");

    private final Path root;
    private final ChildProcesses children;
    private final ServerLauncher launcher;
    /** The tail lengths, shortest first: the difference between two is what the extra entries cost. */
    private final List<Integer> entries = new ArrayList<>();
    private final Path out;
    private final String command;
    /** scenario -> tail length -> build -> figures */
    private final Map<String, Map<Integer, Map<Build, Figures>>> results = new LinkedHashMap<>();
    private final int znodes;
    private final int size;
    private final String xmx;
    private final String jfr;
    /** Extra JVM options of the servers, e.g. a class data sharing archive. */
    private final List<String> jvm;
    private final List<Build> builds = new ArrayList<>();

    private RestartReplay(Map<String, String> o, ChildProcesses children) {
        this.root = Path.of(o.getOrDefault("root", ".")).toAbsolutePath().normalize();
        this.children = children;
        for (String n : o.getOrDefault("entries", "1000,100000").split(",")) {
            entries.add(Integer.parseInt(n.trim()));
        }
        entries.sort(null);
        this.out = root.resolve(o.getOrDefault("out", "benchmarks/RESULTS.md"));
        this.command = o.getOrDefault("command", "java -cp benchmarks/target/benchmarks.jar "
                + RestartReplay.class.getName() + " " + String.join(" ", o.entrySet().stream()
                .filter(e -> !e.getKey().equals("pidfile") && !e.getKey().equals("command"))
                .map(e -> "--" + e.getKey() + " " + e.getValue()).toList()));
        this.znodes = Integer.parseInt(o.getOrDefault("znodes", "1000"));
        this.size = Integer.parseInt(o.getOrDefault("size", "100"));
        this.xmx = o.getOrDefault("xmx", "1g");
        this.jfr = o.get("jfr");
        this.jvm = o.containsKey("jvm") ? List.of(o.get("jvm").trim().split("\\s+")) : List.of();
        this.launcher = new ServerLauncher(root, children, xmx, List.of(), "RestartReplay", System.out::println);
        if (o.containsKey("baseline")) {
            builds.add(new Build("baseline", Path.of(o.get("baseline")).toAbsolutePath().normalize()));
        }
        builds.add(new Build("current", root));
    }

    public static void main(String[] args) {
        Map<String, String> o = DriverCli.options("RestartReplay", args, OPTIONS, Set.of());
        ChildProcesses children = new ChildProcesses(o.containsKey("pidfile") ? Path.of(o.get("pidfile")) : null);
        DriverCli.runThenExit("RestartReplay", children, () -> {
            RestartReplay r = new RestartReplay(o, children);
            int runs = Integer.parseInt(o.getOrDefault("runs", "5"));
            Path dir = o.containsKey("dir") ? Files.createDirectories(Path.of(o.get("dir")))
                    : WorkDirectory.create("corral-restart-replay");
            String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            String loadBefore = RunFacts.loadAverage();
            Map<String, Object> fsync = RunFacts.fsyncProbe(dir);
            System.out.println("RestartReplay: log tails of " + r.entries + " entries after no snapshot, " + runs
                    + " runs per scenario and build, files under " + dir);
            for (String scenario : o.getOrDefault("scenarios", "member,standalone,ensemble").split(",")) {
                for (int n : r.entries) {
                    r.scenario(scenario.trim(), n, dir.resolve(scenario.trim() + "-" + n), runs);
                }
            }
            String section = r.section(started, loadBefore, RunFacts.loadAverage(), fsync, dir, runs);
            ReportSection.RESTART_REPLAY.write(r.out, section);
            System.out.println(section);
        });
    }

    /** The server builds compared: this tree's, and the baseline's when one is given. */
    private record Build(String name, Path root) {
    }

    /** One build's figures in a scenario: the wall-clock totals and the server's own phase lines. */
    private static final class Figures {
        final List<Double> totals = new ArrayList<>();
        final Map<String, List<Double>> phases = new LinkedHashMap<>();
    }

    private void scenario(String scenario, int entries, Path dir, int runs) throws Exception {
        Path template = dir.resolve("template");
        long lastZxid = buildLog(template.resolve("log").resolve(DataDirectories.TXN_LOG), entries);
        Map<Build, Figures> figures = new LinkedHashMap<>();
        builds.forEach(b -> figures.put(b, new Figures()));
        results.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).put(entries, figures);
        for (int run = 1; run <= runs; run++) {
            for (Build build : builds) { // alternating, so a busy spell of the machine hits both alike
                Figures f = figures.get(build);
                Started first = run(scenario, build, template, dir.resolve(build.name() + "-run" + run), lastZxid,
                        run == 1, f);
                System.out.printf(Locale.ROOT, "  %s, %d entries, %s, run %d: %.0f ms from launch; server lines: %s%n",
                        scenario, entries, build.name(), run, f.totals.get(f.totals.size() - 1), first.phases());
            }
        }
        for (Map.Entry<Build, Figures> e : figures.entrySet()) {
            Figures f = e.getValue();
            System.out.printf(Locale.ROOT, "%s, %s (%d entries): median %.0f ms from JVM launch (runs %s)%n", scenario,
                    e.getKey().name(), entries, median(f.totals), format(f.totals));
            f.phases.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %s: median %.0f ms (runs %s)%n", k,
                    median(v), format(v)));
        }
    }

    private static final Map<String, String> WHAT = Map.of(
            "member", "one member of a three-server ensemble started alone, from its JVM's launch until it "
                    + "starts looking for a leader (before that it cannot vote)",
            "standalone", "a standalone server, from its JVM's launch until it listens for clients with the "
                    + "whole tail applied",
            "ensemble", "three members started together on the same log, from their launch until every one "
                    + "serves at the last zxid (election, synchronisation, then the commit and apply of the tail)");

    private String section(String started, String loadBefore, String loadAfter, Map<String, Object> fsync,
                           Path dir, int runs) {
        StringBuilder md = new StringBuilder("## Restart: log tail replay\n\n");
        md.append("Generated by `io.corral.bench.compare.RestartReplay` (see `benchmarks/README.md`); do not edit by "
                + "hand, re-run the command.\n\n");
        md.append(RunFacts.runLines(started, command, root, dir, fsync, loadBefore, loadAfter));
        md.append(String.format(Locale.ROOT, "- data: a log of N entries after no snapshot (one session, %d creates, "
                + "then setData of %d B on them in turn, all in epoch 1), written through `TxnLog`, copied afresh for "
                + "every run; the files are in the page cache, as after a crash of the process. Each run is a new "
                + "server JVM (`-Xmx%s`, the flags of `bin/corral-server`); %d runs per build and tail length, the "
                + "builds taking turns%n", znodes, size, xmx, runs));
        for (Build b : builds) {
            md.append("- ").append(b.name()).append(": `").append(b.root().resolve("reactive-core/target"))
                    .append("`").append(b.name().equals("current") ? " (this tree)" : "").append('\n');
        }
        md.append(RunFacts.busyWarning(loadBefore, loadAfter));
        md.append("\nEvery figure is the median of the runs, in ms. \"JVM CPU\" is the server process's CPU time "
                + "(every thread, the JIT compilers too) when the line came, \"CPU of the thread\" the start-up "
                + "thread's own: on a busy machine they tell a slow phase from a starved one. The phases are the "
                + "server's own log lines; a build without a phase line has \"—\". The tail's cost is the difference "
                + "between the longest and the shortest tail: what the extra entries cost, without the JVM's and the "
                + "libraries' start-up, which do not depend on the log.\n");
        int shortest = entries.get(0);
        int longest = entries.get(entries.size() - 1);
        for (Map.Entry<String, Map<Integer, Map<Build, Figures>>> sc : results.entrySet()) {
            md.append("\n### ").append(sc.getKey()).append("\n\n").append(WHAT.getOrDefault(sc.getKey(), ""))
                    .append(".\n\n| figure |");
            List<String> columns = new ArrayList<>();
            List<Figures> cells = new ArrayList<>();
            for (Map.Entry<Integer, Map<Build, Figures>> n : sc.getValue().entrySet()) {
                for (Map.Entry<Build, Figures> b : n.getValue().entrySet()) {
                    columns.add(b.getKey().name() + ", " + FigureTable.fmt(n.getKey()) + " entries");
                    cells.add(b.getValue());
                }
            }
            columns.forEach(c -> md.append(' ').append(c).append(" |"));
            md.append("\n|---|").append("--:|".repeat(columns.size())).append('\n');
            List<String> rows = new ArrayList<>(List.of(TOTAL));
            cells.forEach(f -> f.phases.keySet().forEach(k -> {
                if (!rows.contains(k)) {
                    rows.add(k);
                }
            }));
            for (String row : rows) {
                md.append("| ").append(row).append(" |");
                for (Figures f : cells) {
                    List<Double> v = row.equals(TOTAL) ? f.totals : f.phases.get(row);
                    md.append(' ').append(v == null || v.isEmpty() ? "—" : FigureTable.fmt(median(v))).append(" |");
                }
                md.append('\n');
            }
            if (longest > shortest) {
                md.append("\nThe tail's cost (").append(FigureTable.fmt(longest)).append(" entries against ")
                        .append(FigureTable.fmt(shortest)).append("):");
                for (Build b : builds) {
                    Figures lo = sc.getValue().get(shortest).get(b);
                    Figures hi = sc.getValue().get(longest).get(b);
                    md.append(String.format(Locale.ROOT, " %s %s ms from launch", b.name(),
                            FigureTable.fmt(median(hi.totals) - median(lo.totals))));
                    List<Double> cpuHi = hi.phases.get(JVM_CPU);
                    List<Double> cpuLo = lo.phases.get(JVM_CPU);
                    if (cpuHi != null && cpuLo != null) {
                        md.append(" (JVM CPU ").append(FigureTable.fmt(median(cpuHi) - median(cpuLo))).append(" ms");
                        double threadHi = threadCpu(hi);
                        double threadLo = threadCpu(lo);
                        if (threadHi > 0 && threadLo > 0) {
                            md.append(", the start-up thread's CPU in its phases ")
                                    .append(FigureTable.fmt(threadHi - threadLo)).append(" ms");
                        }
                        md.append(')');
                    }
                    md.append(b == builds.get(builds.size() - 1) ? "." : ";");
                }
                md.append('\n');
            }
        }
        return ReportSection.RESTART_REPLAY.wrap(md.toString());
    }

    /** One restart of {@code scenario} on a copy of {@code template}; adds its figures to {@code f}. */
    private Started run(String scenario, Build build, Path template, Path runDir, long lastZxid, boolean record,
                        Figures f) throws Exception {
        boolean ensemble = !scenario.equals("standalone");
        int members = scenario.equals("ensemble") ? 3 : 1;
        List<Integer> ports = ServerLauncher.freePorts(9);
        List<ZooCfg.Peer> peers = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            peers.add(new ZooCfg.Peer(id, ports.get(3 * id - 2), ports.get(3 * id - 1), false));
        }
        List<Started> started = new ArrayList<>();
        try {
            for (int id = 1; id <= members; id++) {
                Path memberDir = runDir.resolve("s" + id);
                copyTree(template, memberDir);
                Path data = ZooCfg.dataDir(memberDir);
                Files.createDirectories(data);
                List<String> cfg;
                if (ensemble) {
                    Files.writeString(data.resolve("myid"), id + "\n");
                    Files.writeString(data.resolve("acceptedEpoch"), "1\n");
                    Files.writeString(data.resolve("currentEpoch"), "1\n");
                    cfg = ZooCfg.member(memberDir, ports.get(3 * id - 3), peers, id, "RestartReplay");
                } else {
                    cfg = ZooCfg.standalone(memberDir, ports.get(0), "RestartReplay");
                }
                Files.writeString(memberDir.resolve("zoo.cfg"), String.join("\n", cfg));
            }
            for (int id = 1; id <= members; id++) {
                started.add(launch(build, runDir.resolve("s" + id), ports.get(3 * id - 3),
                        record && id == 1 ? scenario + "-" + build.name() : null));
            }
            double total;
            Started first = started.get(0);
            switch (scenario) {
                case "member" -> {
                    total = first.await("starts looking for a leader");
                    first.await("listening for clients"); // after the line with the server's phases
                }
                case "standalone" -> {
                    total = first.await("listening for clients");
                    String line = first.line("Recovered state up to zxid");
                    if (line == null || !line.contains("0x" + Long.toHexString(lastZxid) + " ")) {
                        throw new IllegalStateException("the server did not recover up to 0x"
                                + Long.toHexString(lastZxid) + ": " + line);
                    }
                }
                default -> {
                    total = 0;
                    for (Started s : started) {
                        total = Math.max(total, s.awaitServing(lastZxid));
                    }
                }
            }
            f.totals.add(total);
            for (Map.Entry<String, Double> e : first.phases().entrySet()) {
                f.phases.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
            }
            return first;
        } finally {
            for (Started s : started) {
                children.stop(s.process);
                s.reader.join(5_000);
            }
        }
    }

    /** The sum of the medians of the start-up thread's CPU time in each phase; 0 when the build does not say. */
    private static double threadCpu(Figures f) {
        double sum = 0;
        for (Map.Entry<String, List<Double>> e : f.phases.entrySet()) {
            if (e.getKey().endsWith(THREAD_CPU)) {
                sum += median(e.getValue());
            }
        }
        return sum;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return FigureTable.median(sorted);
    }

    private static String format(List<Double> values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) {
            sb.append(sb.length() == 0 ? "" : " ").append(Math.round(v));
        }
        return sb.toString();
    }

    /** Writes the log the server will recover: returns its last zxid. */
    private long buildLog(Path logDir, int entries) throws IOException {
        if (Files.exists(logDir)) {
            throw new IllegalStateException(logDir + " exists already");
        }
        long t0 = System.nanoTime();
        long session = 0x100000001L;
        long zxid = TxnHeader.makeZxid(1, 0);
        long now = System.currentTimeMillis();
        byte[] password = new byte[16];
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) 'x');
        try (TxnLog log = TxnLog.open(logDir, LogOptions.defaults().withForceSync(false))) {
            log.append(entry(++zxid, session, 0, now, OpCode.CREATE_SESSION, new Txn.CreateSession(30_000, password)));
            for (int i = 1; i < entries; i++) {
                int n = (i - 1) % znodes;
                Txn txn = i <= znodes
                        ? new Txn.Create("/k" + n, data, Acl.OPEN_ACL_UNSAFE, 0, i - 1, false)
                        : new Txn.SetData("/k" + n, data, (i - 1) / znodes - 1);
                log.append(entry(++zxid, session, i, now, i <= znodes ? OpCode.CREATE : OpCode.SET_DATA, txn));
            }
            log.sync();
        }
        System.out.printf(Locale.ROOT, "  wrote %d entries (%d znodes, %d B each) to %s in %.1f s%n", entries, znodes,
                size, logDir, (System.nanoTime() - t0) / 1e9);
        return zxid;
    }

    private static LogEntry entry(long zxid, long session, int cxid, long time, int type, Txn txn) {
        return new LogEntry(zxid, session, cxid, time, type, TxnCodec.encode(txn));
    }

    /** Hard links would share the Chronicle files between runs (a server writes to them): copy the bytes. */
    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("txnlog.lock")) {
                    Files.copy(p, target);
                }
            }
        }
    }

    private Started launch(Build build, Path dir, int clientPort, String recording) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ServerLauncher.javaTool("java"));
        cmd.add("-Xmx" + xmx);
        cmd.addAll(launcher.corralJvmFlags());
        cmd.addAll(jvm);
        if (recording != null && jfr != null) {
            cmd.add("-XX:StartFlightRecording=filename=" + Path.of(jfr).toAbsolutePath() + "-" + recording
                    + ".jfr,settings=profile");
        }
        cmd.add("-cp");
        cmd.add(build.root().resolve("reactive-core/target/corral-server.jar") + ":"
                + build.root().resolve("reactive-core/target/lib") + "/*");
        cmd.add("io.corral.server.Main");
        cmd.add(dir.resolve("zoo.cfg").toString());
        long launched = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        children.track(p);
        return new Started(p, launched, clientPort, dir.resolve("server.log"));
    }

    /** A server JVM whose output is read line by line as it comes, each line with the time it arrived. */
    private static final class Started {
        final Process process;
        final long launched;
        final int clientPort;
        final List<String> lines = new ArrayList<>();
        final List<Long> arrived = new ArrayList<>();
        /** CPU milliseconds the process had used when each awaited line came. */
        final Map<String, Double> cpuMs = new LinkedHashMap<>();
        final Thread reader;

        Started(Process process, long launched, int clientPort, Path logFile) throws IOException {
            this.process = process;
            this.launched = launched;
            this.clientPort = clientPort;
            Writer out = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
            this.reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8)); out) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        long now = System.nanoTime();
                        synchronized (lines) {
                            lines.add(line);
                            arrived.add(now);
                            lines.notifyAll();
                        }
                        out.write(line);
                        out.write('\n');
                    }
                } catch (IOException e) {
                    // the process was stopped
                }
            }, "restart-replay-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** Milliseconds from launch until a line containing {@code text} came. */
        double await(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            synchronized (lines) {
                while (true) {
                    for (int i = 0; i < lines.size(); i++) {
                        if (lines.get(i).contains(text)) {
                            cpuMs.putIfAbsent(text, cpuMillis(process.pid()));
                            return (arrived.get(i) - launched) / 1e6;
                        }
                    }
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the server exited before '" + text + "': " + lines);
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException("no '" + text + "' within " + TIMEOUT + ": " + lines);
                    }
                    lines.wait(Math.max(1, Math.min(100, left / 1_000_000)));
                }
            }
        }

        /** CPU time of the process so far (every thread, the JIT compilers too), from /proc; -1 if unknown. */
        private static double cpuMillis(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000.0 / CLOCK_TICKS;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        /** Milliseconds from launch until srvr says it serves with the whole log applied. */
        double awaitServing(long zxid) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                String srvr = FourLetterWords.srvr(clientPort);
                long now = System.nanoTime();
                if (FourLetterWords.serving(srvr) && zxidOf(srvr) >= zxid) {
                    return (now - launched) / 1e6;
                }
                if (!process.isAlive() || now > deadline) {
                    throw new IllegalStateException("not serving at 0x" + Long.toHexString(zxid) + ": " + srvr);
                }
                Thread.sleep(5); // the driver's thread polls a child's port
            }
        }

        private static long zxidOf(String srvr) {
            for (String l : srvr.split("\n")) {
                if (l.startsWith("Zxid:")) {
                    return Long.decode(l.substring(5).trim());
                }
            }
            return -1;
        }

        String line(String text) {
            synchronized (lines) {
                return lines.stream().filter(l -> l.contains(text)).findFirst().orElse(null);
            }
        }

        /** The "in N ms" figures of the server's own start-up lines: the log's scan, then each phase. */
        Map<String, Double> phases() {
            Map<String, Double> out = new LinkedHashMap<>();
            synchronized (lines) {
                cpuMs.values().stream().findFirst().ifPresent(cpu -> out.put(JVM_CPU, cpu));
                for (String l : lines) {
                    if (l.contains("Opened txn log")) {
                        Matcher m = MS.matcher(l);
                        if (m.find()) {
                            out.put("txn log scanned", Double.parseDouble(m.group(1)));
                        }
                    } else if (l.contains("starts looking for a leader")) {
                        Matcher m = MS.matcher(l);
                        if (m.find()) {
                            out.put("history indexed (its epochs' ends in the log)", Double.parseDouble(m.group(1)));
                        }
                    } else if (l.contains(" - Recovered ")) {
                        Matcher m = MS.matcher(l);
                        int colon = l.indexOf(" ms): ");
                        if (m.find()) {
                            out.put(colon < 0 ? "recovered (a line of older builds: the log and the snapshot, the "
                                    + "tail queued or replayed)" : "recovered, in all (every phase below)",
                                    Double.parseDouble(m.group(1)));
                        }
                        for (String part : colon < 0 ? new String[0] : l.substring(colon + 6).split(", ")) {
                            Matcher p = PHASE.matcher(part);
                            if (p.matches()) {
                                String name = p.group(1).replaceAll(" \\(.*\\)", "");
                                out.put(name, Double.parseDouble(p.group(2)));
                                out.put(name + THREAD_CPU, Double.parseDouble(p.group(3)));
                            }
                        }
                    }
                }
            }
            return out;
        }
    }
}
