package io.corral.bench.compare;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Three-server Corral ensembles against three-server Apache ZooKeeper 3.9.5 ensembles on loopback, in one run:
 * setData / create / getData throughput (closed loop), setData latency at a fixed rate (open loop), and the time
 * from kill -9 of the leader to the next acknowledged write, seen by clients that write continuously. In each
 * round: a fresh ZooKeeper ensemble, then a fresh Corral ensemble (ABAB over rounds), then a Corral ensemble of
 * three participants and observers for the setData throughput with observers. Writes its section of
 * benchmarks/RESULTS.md ({@link ReportSection#ENSEMBLE_COMPARE}). Run it through benchmarks/ensemble-compare.sh.
 * Every process it starts is ended by its pid, also on failure, and the run has a time limit.
 */
public final class EnsembleCompare {
    private static final String PARTICIPANTS_ONLY = "3 participants";
    private static final String FAILOVER_ROOT = "/corral-bench/failover";
    private static final Set<String> OPTIONS = Set.of("root", "out", "pidfile", "command", "rounds", "duration",
            "warmup", "clients", "inflight", "rate", "writers", "observers", "xmx", "failover-timeout-s",
            "time-limit-min", "kills", "stops", "faults-only");

    // --- settings ---
    private final Path root;
    private final Path out;
    private final String command;
    private final int rounds;
    private final double duration;
    private final double warmup;
    private final int clients;
    private final int inflight;
    private final int rate;
    private final int writers;
    private final int observers;
    private final String xmx;
    private final Duration failoverTimeout;
    /** Successive leader kills per system, each killed member started again at once (0: not run). */
    private final int kills;
    /** Successive leader stops (SIGTERM) per system, each stopped member started again at once (0: not run). */
    private final int stops;
    /** Only the successive kills and stops, not the comparison. */
    private final boolean faultsOnly;
    private final RunDeadline deadline;
    private final Path work;

    private final ChildProcesses children;
    private final ServerLauncher launcher;
    private final LoadToolRun loadTool;

    // --- results ---
    /** ZooKeeper (baseline) and Corral, three participants each. */
    private final FigureTable figures;
    /** Corral: three participants (baseline), the same plus observers. */
    private final FigureTable observerFigures;
    private final String withObservers;
    private final List<String> failovers = new ArrayList<>();
    private final RunNotes notes = new RunNotes(EnsembleCompare::log);

    private EnsembleCompare(Map<String, String> o) throws Exception {
        root = Path.of(o.getOrDefault("root", ".")).toAbsolutePath().normalize();
        out = root.resolve(o.getOrDefault("out", "benchmarks/RESULTS.md"));
        command = o.getOrDefault("command", "benchmarks/ensemble-compare.sh");
        rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
        duration = Double.parseDouble(o.getOrDefault("duration", "2"));
        warmup = Double.parseDouble(o.getOrDefault("warmup", "1"));
        clients = Integer.parseInt(o.getOrDefault("clients", "4"));
        inflight = Integer.parseInt(o.getOrDefault("inflight", "16"));
        rate = Integer.parseInt(o.getOrDefault("rate", "1000"));
        writers = Integer.parseInt(o.getOrDefault("writers", "4"));
        observers = Integer.parseInt(o.getOrDefault("observers", "1"));
        xmx = o.getOrDefault("xmx", "1g");
        failoverTimeout = Duration.ofSeconds(Long.parseLong(o.getOrDefault("failover-timeout-s", "30")));
        kills = Integer.parseInt(o.getOrDefault("kills", "0"));
        stops = Integer.parseInt(o.getOrDefault("stops", "0"));
        faultsOnly = o.containsKey("faults-only");
        if (faultsOnly && kills < 1 && stops < 1) {
            throw new IllegalArgumentException("--faults-only needs --kills N or --stops N");
        }
        double limitMin = Double.parseDouble(o.getOrDefault("time-limit-min", "5.5"));
        deadline = new RunDeadline(limitMin, EnsembleCompare::log);
        if (rounds < 1 || writers < 1 || observers < 0 || clients < 1 || inflight < 1 || rate < 1) {
            throw new IllegalArgumentException("options out of range");
        }
        work = WorkDirectory.create("corral-ensemble-compare-");
        children = new ChildProcesses(o.containsKey("pidfile") ? Path.of(o.get("pidfile")) : null);
        launcher = new ServerLauncher(root, children, xmx, List.of(), EnsembleCompare.class.getName(),
                EnsembleCompare::log);
        loadTool = new LoadToolRun(root.resolve("benchmarks/target/benchmarks.jar"), children);
        figures = new FigureTable(rounds, ServerKind.ZOOKEEPER.title, ServerKind.CORRAL.title);
        withObservers = "3 participants + " + observers + " observer" + (observers == 1 ? "" : "s");
        observerFigures = new FigureTable(rounds, PARTICIPANTS_ONLY, withObservers);
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("zookeeper.sasl.client", "false");
        // the failover writers' client logs every lost connection with a stack trace: expected here, so quiet
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.zookeeper"))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        Map<String, String> o = DriverCli.options("ensemble-compare", args, OPTIONS, Set.of("faults-only"));
        EnsembleCompare c = new EnsembleCompare(o);
        DriverCli.runThenExit("ensemble-compare", c.children, c::run);
    }

    // ------------------------------------------------------------------------------------------------ the run

    private void run() throws Exception {
        launcher.requireJars("benchmarks/ensemble-compare.sh");
        String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String loadBefore = RunFacts.loadAverage();
        Map<String, Object> fsync = RunFacts.fsyncProbe(work);
        log("work directory " + work + "; " + rounds + " rounds; fsync probe " + RunFacts.fsyncSummary(fsync));
        if (!faultsOnly) {
            compare(started, loadBefore, fsync);
        }
        SuccessiveLeaderFaults.Setup setup = new SuccessiveLeaderFaults.Setup(launcher, work, writers,
                failoverTimeout, deadline, xmx, FAILOVER_ROOT, EnsembleCompare::log);
        for (SuccessiveLeaderFaults.Fault fault : SuccessiveLeaderFaults.Fault.values()) {
            int count = fault == SuccessiveLeaderFaults.Fault.KILL ? kills : stops;
            if (count > 0) {
                SuccessiveLeaderFaults faults = new SuccessiveLeaderFaults(setup, fault, count);
                faults.run();
                String loadAfter = RunFacts.loadAverage();
                StringBuilder opening = opening(fault.title, "io.corral.bench.compare.EnsembleCompare "
                        + fault.option, started, loadBefore, loadAfter, fsync);
                System.out.println(faults.write(out, opening, loadBefore, loadAfter));
                log("wrote the successive " + fault.noun + "s' section of " + out);
            }
        }
    }

    /** Throughput, latency, one failover and observers, round after round; writes the ensemble section. */
    private void compare(String started, String loadBefore, Map<String, Object> fsync) throws Exception {
        outer:
        for (int round = 1; round <= rounds; round++) {
            for (ServerKind kind : ServerKind.values()) { // ZooKeeper, then Corral: ABAB over the rounds
                if (deadline.passed()) {
                    break outer;
                }
                log("round " + round + "/" + rounds + ": " + kind.title + ", 3 participants");
                runEnsemble(kind, round);
            }
            if (observers > 0 && !deadline.passed()) {
                log("round " + round + "/" + rounds + ": Corral, " + withObservers);
                runWithObservers(round);
            }
        }
        Path raw = root.resolve("benchmarks/target/ensemble-compare-raw.jsonl");
        ReportSection.ENSEMBLE_COMPARE.publish(out, section(started, loadBefore, RunFacts.loadAverage(), fsync),
                loadTool, raw);
        log("wrote the ensemble section of " + out + " (raw load-tool results: " + raw + ")");
    }

    /** A fresh three-server ensemble: throughput, latency at a fixed rate, then kill -9 of its leader. */
    private void runEnsemble(ServerKind kind, int round) throws Exception {
        try (Ensemble ensemble = launcher.ensemble(kind, work.resolve(kind.key() + "-r" + round), 3, 0,
                Duration.ofSeconds(90))) {
            String connect = ensemble.connectString();
            String[] loop = {"--clients", "" + clients, "--inflight", "" + inflight};
            LoadToolRun.Outcome r = load(kind.title, round, "set", connect, loop);
            String setFigure = "setData 100 B throughput (closed loop, " + clients + "x" + inflight + ")";
            figures.record(setFigure, "ops/s", kind.title, round, r.number("throughput"));
            if (kind == ServerKind.CORRAL) {
                observerFigures.record(setFigure, "ops/s", PARTICIPANTS_ONLY, round, r.number("throughput"));
            }
            r = load(kind.title, round, "create", connect, loop);
            figures.record("create 100 B throughput (closed loop)", "ops/s", kind.title, round,
                    r.number("throughput"));
            r = load(kind.title, round, "get", connect, loop);
            figures.record("getData 100 B throughput (closed loop)", "ops/s", kind.title, round,
                    r.number("throughput"));

            r = load(kind.title, round, "set", connect, "--rate", "" + rate, "--clients", "" + clients);
            String fixed = "setData at a fixed " + rate + "/s (open loop)";
            figures.record("p50 latency, " + fixed, "ms", kind.title, round, r.latencyMs("p50"));
            figures.record("p99 latency, " + fixed, "ms", kind.title, round, r.latencyMs("p99"));
            figures.record("p99.9 latency, " + fixed, "ms", kind.title, round, r.latencyMs("p999"));

            if (!deadline.passed()) {
                killLeader(ensemble, round);
            }
        }
    }

    /** Writers write without pause; the leader gets SIGKILL; the time until writes are acknowledged again. */
    private void killLeader(Ensemble ensemble, int round) throws Exception {
        String side = ensemble.kind.title;
        String firstFigure = "kill -9 of the leader → next acknowledged write (first of " + writers + " writers)";
        String allFigure = "kill -9 of the leader → every writer has written again";
        try (FailoverProbe probe = FailoverProbe.start(ensemble.connectString(), writers, 30_000, FAILOVER_ROOT)) {
            probe.awaitAcknowledged(100L * writers, Duration.ofSeconds(20));
            LaunchedServer leader = ensemble.leader();
            if (leader == null) {
                notes.add(side, round, "failover: no single member answers srvr as leader; no kill");
                return;
            }
            RecoveryClock.Recovery recovery = probe.around(() -> ensemble.kill9(leader), failoverTimeout);
            figures.record(firstFigure, "ms", side, round, recovery.firstMs() != null ? recovery.firstMs()
                    : "none within " + failoverTimeout.toSeconds() + " s");
            figures.record(allFigure, "ms", side, round, recovery.allMs() != null ? recovery.allMs()
                    : recovery.recovered() + " of " + writers + " within " + failoverTimeout.toSeconds() + " s");
            LaunchedServer next = ensemble.leader();
            String firstText = FigureTable.fmtOrDash(recovery.firstMs());
            String everyText = FigureTable.fmtOrDash(recovery.allMs());
            String line = String.format(Locale.ROOT, "| %d | %s | %d (pid %d) | %s | %s | %s | %d |", round, side,
                    leader.id, leader.pid(), next == null ? "—" : "" + next.id, firstText, everyText,
                    recovery.failedWrites());
            failovers.add(line);
            log(String.format(Locale.ROOT, "  failover: killed server %d, next leader %s, first write after %s ms, "
                            + "every writer after %s ms, %d writes failed", leader.id,
                    next == null ? "not yet known" : "" + next.id, firstText, everyText, recovery.failedWrites()));
        } catch (java.util.concurrent.TimeoutException e) {
            notes.add(side, round, "failover: the writers did not get going: " + e.getMessage());
        }
    }

    /** Corral with observers: the setData run again, clients on the participants only. */
    private void runWithObservers(int round) throws Exception {
        try (Ensemble ensemble = launcher.ensemble(ServerKind.CORRAL, work.resolve("corral-observers-r" + round), 3,
                observers, Duration.ofSeconds(90))) {
            LoadToolRun.Outcome r = load(withObservers, round, "set", ensemble.participantConnectString(),
                    "--clients", "" + clients, "--inflight", "" + inflight);
            observerFigures.record("setData 100 B throughput (closed loop, " + clients + "x" + inflight + ")",
                    "ops/s", withObservers, round, r.number("throughput"));
        }
    }

    /** One load-tool run; a failure becomes a note and an empty outcome. */
    private LoadToolRun.Outcome load(String side, int round, String workload, String connect, String... args)
            throws Exception {
        if (deadline.passed()) {
            return new LoadToolRun.Outcome(null, null, "skipped: time limit");
        }
        List<String> cmd = new ArrayList<>(List.of("--connect", connect, "--workload", workload, "--progress", "0",
                "--duration", "" + duration, "--warmup", "" + warmup, "--label",
                side.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "-r" + round));
        cmd.addAll(List.of(args));
        Path errLog = work.resolve("load-" + side.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "-r"
                + round + "-" + workload + (List.of(args).contains("--rate") ? "-rate" : "") + ".log");
        long limit = Math.min((long) (warmup + duration) + 60, Math.max(30, deadline.secondsLeft() + 60));
        LoadToolRun.Outcome r = loadTool.run(cmd, errLog, limit);
        if (r.problem() != null) {
            notes.add(side, round, workload + ": " + r.problem());
        }
        if (!r.ok()) {
            return r;
        }
        log(String.format(Locale.ROOT, "  %-7s%s %10.0f ops/s  p50 %8.2f ms  p99 %8.2f ms", workload,
                List.of(args).contains("--rate") ? "@" + rate : "", r.number("throughput"), r.latencyMs("p50"),
                r.latencyMs("p99")));
        return r;
    }

    private static void log(String text) {
        System.err.println("ensemble-compare: " + text);
    }

    // ------------------------------------------------------------------------------------------------ report

    /** The warning of a busy machine, if any, then the results table with what it shows. */
    static void results(StringBuilder md, String loadBefore, String loadAfter, String explanation,
                                FigureTable table) {
        md.append(RunFacts.busyWarning(loadBefore, loadAfter));
        md.append("\n### Results\n\n").append(explanation).append("\n\n");
        md.append(table.summary());
    }

    /** A section's title, where it comes from, and the run's facts. */
    private StringBuilder opening(String title, String generatedBy, String started, String loadBefore,
                                  String loadAfter, Map<String, Object> fsync) {
        StringBuilder md = new StringBuilder();
        md.append("## ").append(title).append("\n\n");
        md.append("Generated by `").append(generatedBy).append("` (see `benchmarks/README.md`); do not edit by hand, "
                + "re-run the command.\n\n");
        md.append(RunFacts.runLines(started, command, root, work, fsync, loadBefore, loadAfter));
        return md;
    }

    private String section(String started, String loadBefore, String loadAfter, Map<String, Object> fsync) {
        StringBuilder md = opening("Three-server ensembles: Corral vs Apache ZooKeeper 3.9.5",
                "io.corral.bench.compare.EnsembleCompare", started, loadBefore, loadAfter, fsync);
        md.append(String.format(Locale.ROOT, "- servers: per ensemble, three server JVMs (`-Xmx%s` each) on "
                + "127.0.0.1, each with its own client, quorum and election ports and its own dataDir and dataLogDir "
                + "(same disk); the same generated `zoo.cfg` keys for both: `tickTime=2000`, `initLimit=10`, "
                + "`syncLimit=5`, `forceSync=yes`, `server.1..3`; ZooKeeper runs `QuorumPeerMain` (its NIO "
                + "classes), Corral `io.corral.server.Main` with the flags of `bin/corral-server`. A fresh "
                + "ensemble per system and round, in the order ZooKeeper, Corral, Corral with %s, then again%n", xmx,
                withObservers));
        md.append(String.format(Locale.ROOT, "- load: the load tool (`io.corral.bench.load.LoadTool`, official "
                + "ZooKeeper 3.9.5 client) in its own JVM per workload, on the ensemble's full connect string (the "
                + "client spreads its sessions over the members at random); %d rounds; %.0f s warm-up + %.0f s "
                + "measured per workload; closed loop = %d sessions x %d requests in flight; fixed rate = %d "
                + "setData/s over %d sessions, latency from each request's scheduled send time; 100 B values on "
                + "1,000 znodes%n", rounds, warmup, duration, clients, inflight, rate, clients));
        md.append(String.format(Locale.ROOT, "- failover: %d writer sessions (official client, in the driver's JVM, "
                + "session timeout 30 s), each keeping one setData in flight on its own znode; once they have %d "
                + "writes acknowledged, the member whose `srvr` says `Mode: leader` gets SIGKILL to its pid. The "
                + "time runs from sending the signal to the first acknowledgement of a write sent after the process "
                + "was gone (a reply already on its way does not count); one kill per round, the table gives the "
                + "median over rounds. The official client waits a random 0–1 s before each reconnection attempt, "
                + "on both systems alike%n", writers, 100 * writers));
        if (deadline.reached()) {
            md.append("- **the run hit its time limit**: some figures are missing\n");
        }
        results(md, loadBefore, loadAfter, "Median over rounds; the ratio is Corral / ZooKeeper per round, with its "
                + "median and spread (min–max). For throughput a ratio above 1 favours Corral; for latency and time, "
                + "below 1 does.", figures);
        md.append("\n### Observers (Corral)\n\n");
        md.append("The same setData run on Corral with ").append(withObservers).append(", clients on the three "
                + "participants in both cases, so the observer adds only its share of the replication work. The "
                + "three-participant figure is the one of the results table, same round.\n\n");
        md.append(observerFigures.summary());
        md.append("\n### Failovers\n\n");
        md.append("| round | server | leader killed (id, pid) | next leader | first write after the kill (ms) "
                + "| every writer (ms) | failed writes |\n");
        md.append("|--:|---|---|--:|--:|--:|--:|\n");
        failovers.forEach(line -> md.append(line).append('\n'));
        md.append("\n### Every round\n\n");
        md.append(figures.everyRound());
        md.append('\n').append(observerFigures.everyRound());
        md.append("\n### Against the targets of the ensemble issue\n\n");
        md.append(verdicts());
        md.append("\n### Notes\n\n");
        md.append("- Every server, the load tool and the writers share the machine's cores; the raw JSON of every "
                + "load-tool run is in `benchmarks/target/ensemble-compare-raw.jsonl`; server logs stay in the "
                + "work directory above.\n");
        md.append("- Writes through a follower are forwarded to the leader on both systems; which member each "
                + "session lands on is the client's random choice, one source of the spread between rounds.\n");
        notes.appendTo(md);
        return ReportSection.ENSEMBLE_COMPARE.wrap(md.toString());
    }

    private String verdicts() {
        StringBuilder md = new StringBuilder();
        String set = "setData 100 B throughput (closed loop, " + clients + "x" + inflight + ")";
        verdict(md, "writes at least 3x ZooKeeper's: setData", figures.medianRatio(set), 3.0, true);
        verdict(md, "writes at least 3x ZooKeeper's: create", figures.medianRatio(
                "create 100 B throughput (closed loop)"), 3.0, true);
        verdict(md, "failover under half of ZooKeeper's time (kill -9 of the leader → next acknowledged write)",
                figures.medianRatio("kill -9 of the leader → next acknowledged write (first of " + writers
                        + " writers)"), 0.5, false);
        if (observers > 0) {
            verdict(md, "adding observers does not lower write throughput (" + withObservers + " / 3 participants,"
                    + " setData; within 5 %)", observerFigures.medianRatio(set), 0.95, true);
        }
        return md.toString();
    }

    private static void verdict(StringBuilder md, String target, Double ratio, double bound, boolean higher) {
        md.append("- ").append(target).append(": ");
        if (ratio == null) {
            md.append("no figure\n");
            return;
        }
        boolean met = higher ? ratio >= bound : ratio <= bound;
        md.append(String.format(Locale.ROOT, "median ratio %.2f (%s %.2f) — %s%n", ratio, higher ? "≥" : "≤", bound,
                met ? "meets it" : "**falls short**"));
    }
}
