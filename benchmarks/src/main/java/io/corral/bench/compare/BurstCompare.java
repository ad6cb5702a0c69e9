package io.corral.bench.compare;

import io.corral.bench.compare.BurstProbe.Figures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Issue 11's figures: the time to serve a burst of N pipelined getData of a 900 KB znode, and meanwhile the worst
 * latency of bystander sessions reading a small znode one request at a time (some of them share the burst's network
 * thread); see {@link BurstProbe}. Corral and Apache ZooKeeper 3.9.5 as child JVMs (ServerLauncher), ZooKeeper first,
 * each fresh per N, each burst size measured {@code --repeat} times on the same server after one unmeasured warm-up
 * burst. Writes its section of benchmarks/RESULTS.md. Run it through benchmarks/burst-compare.sh.
 */
public final class BurstCompare {
    static final ReportSection SECTION = new ReportSection("burst-compare", BurstCompare.class);
    private static final int WARM_UP = 100;

    private final Path out;
    private final Path root;
    private final String command;
    private final List<Integer> bursts = new ArrayList<>();
    private final List<ServerKind> servers = new ArrayList<>();
    private final int bystanders;
    private final int repeat;
    private final List<String> corralExtraJvm;
    private final ChildProcesses children;
    private final ServerLauncher launcher;
    private final Path work;

    private BurstCompare(Map<String, String> o) throws IOException {
        root = Path.of(o.getOrDefault("root", ".")).toAbsolutePath().normalize();
        out = root.resolve(o.getOrDefault("out", "benchmarks/RESULTS.md"));
        command = o.getOrDefault("command", "benchmarks/burst-compare.sh").strip();
        for (String n : o.getOrDefault("bursts", "100,300,1000").split(",")) {
            bursts.add(Integer.parseInt(n.trim()));
        }
        for (String s : o.getOrDefault("servers", "zookeeper,corral").split(",")) {
            servers.add(ServerKind.valueOf(s.trim().toUpperCase(Locale.ROOT)));
        }
        bystanders = Integer.parseInt(o.getOrDefault("bystanders", "4"));
        repeat = Integer.parseInt(o.getOrDefault("repeat", "5"));
        String extra = o.getOrDefault("corral-jvm-opts", "").trim();
        corralExtraJvm = extra.isEmpty() ? List.of() : Arrays.asList(extra.split("\\s+"));
        children = new ChildProcesses(o.containsKey("pidfile") ? Path.of(o.get("pidfile")) : null);
        work = WorkDirectory.create("corral-burst-compare-");
        launcher = new ServerLauncher(root, children, o.getOrDefault("xmx", "1g"), corralExtraJvm,
                BurstCompare.class.getName(), BurstCompare::log);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = DriverCli.options("burst-compare", args, Set.of("root", "out", "pidfile", "command",
                "bursts", "bystanders", "xmx", "repeat", "servers", "corral-jvm-opts"), Set.of());
        BurstCompare c = new BurstCompare(o);
        DriverCli.runThenExit("burst-compare", c.children, c::run);
    }

    private static void log(String line) {
        System.err.println("burst-compare: " + line);
    }

    private void run() throws Exception {
        String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String loadBefore = RunFacts.loadAverage();
        Map<Integer, Map<ServerKind, List<Figures>>> results = new LinkedHashMap<>();
        for (int n : bursts) {
            Map<ServerKind, List<Figures>> byServer = new LinkedHashMap<>();
            for (ServerKind kind : servers) {
                byServer.put(kind, measure(kind, n));
            }
            results.put(n, byServer);
        }
        String section = SECTION.wrap(report(started, loadBefore, results));
        SECTION.write(out, section);
        System.out.println(section);
        log("wrote the burst section of " + out);
    }

    private List<Figures> measure(ServerKind kind, int n) throws Exception {
        LaunchedServer s = launcher.standalone(kind, work.resolve(kind.name().toLowerCase(Locale.ROOT) + n),
                ServerLauncher.freePort(), Duration.ofSeconds(60));
        try {
            BurstProbe probe = new BurstProbe(new InetSocketAddress("127.0.0.1", s.clientPort), bystanders,
                    s.process.toHandle());
            probe.setUp();
            log(kind.title + " warm-up burst of " + WARM_UP + ": " + probe.burst(WARM_UP));
            List<Figures> runs = new ArrayList<>();
            for (int i = 0; i < repeat; i++) {
                Figures f = probe.burst(n);
                log(String.format(Locale.ROOT, "%s N=%d run %d: %s (load %s)", kind.title, n, i + 1, f,
                        RunFacts.loadAverage()));
                runs.add(f);
            }
            return runs;
        } finally {
            children.stop(s.process);
        }
    }

    private String report(String started, String loadBefore, Map<Integer, Map<ServerKind, List<Figures>>> results) {
        StringBuilder md = new StringBuilder("## A burst of large replies (issue 11)\n\n");
        md.append(String.format(Locale.ROOT, "Run %s on %s (%s), commit %s; load average before %s, after %s.%n%n",
                started, RunFacts.machine(), RunFacts.jdk(), RunFacts.commit(root), loadBefore,
                RunFacts.loadAverage()));
        String busy = RunFacts.busyWarning(loadBefore, RunFacts.loadAverage());
        md.append(busy.isEmpty() ? "" : busy + "\n");
        md.append("Command: `").append(command).append("`");
        if (!corralExtraJvm.isEmpty()) {
            md.append(" (Corral's JVM plus `").append(String.join(" ", corralExtraJvm)).append("`)");
        }
        md.append("\n\n");
        md.append("One raw-socket client pipelines N getData of one 900 KB znode in a single write and reads the ")
                .append("replies as fast as it can (into one reused array); ").append(bystanders)
                .append(" bystander sessions (raw sockets, one getData of an 8-byte znode at a time) measure their ")
                .append("latency meanwhile. \"quiet\" is the bystanders' worst latency over 200 requests each just ")
                .append("before the burst. Fresh server per N, ZooKeeper first; on each, one unmeasured burst of ")
                .append(WARM_UP).append(", then ").append(repeat).append(" measured bursts of N: the table gives the ")
                .append("median run (by the bystanders' worst latency) and, after the slash, the worst of the ")
                .append(repeat).append(" runs. \"driver CPU\" is the driver process's CPU time during the burst ")
                .append("(the burst reader and the bystanders), which competes with the server for the 2 cores; \"server CPU\" ")
                .append("the server process's. ")
                .append("Child JVMs with the same -Xmx; everything on this machine.\n\n");
        md.append("| N | server | burst served in | bystanders' worst latency | bystanders' p99 | quiet worst ")
                .append("| driver CPU | server CPU |\n|---|---|---|---|---|---|---|---|\n");
        results.forEach((n, byServer) -> byServer.forEach((kind, runs) -> {
            List<Figures> byWorst = new ArrayList<>(runs);
            byWorst.sort(Comparator.comparingDouble(Figures::bystanderWorstMs));
            Figures median = byWorst.get(byWorst.size() / 2);
            Figures worst = byWorst.get(byWorst.size() - 1);
            md.append(String.format(Locale.ROOT, "| %d | %s | %.2f s | %.1f / %.1f ms | %.1f ms | %.1f ms | %.2f s | %.2f s |%n",
                    n, kind.title, median.burstSeconds(), median.bystanderWorstMs(), worst.bystanderWorstMs(),
                    median.bystanderP99Ms(), median.quietWorstMs(), median.driverCpuSeconds(),
                    median.serverCpuSeconds()));
        }));
        return md.toString();
    }
}
