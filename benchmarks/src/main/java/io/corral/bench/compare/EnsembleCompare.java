package io.corral.bench.compare;

import java.nio.file.Files;
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
            "time-limit-min", "kills", "kills-only");
    private static final String KILL_FRESH = "kill -9 of the leader → first acknowledged write of a fresh session";
    private static final String KILL_FIRST = "kill -9 of the leader → next acknowledged write (first writer)";
    private static final String KILL_ALL = "kill -9 of the leader → every writer has written again";
    private static final String KILL_FOLLOWING = "restarted member: relaunch → following again";
    private static final String KILL_REJOINED = "kill -9 of the leader → the killed member following again";

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
    private final boolean killsOnly;
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
    /** ZooKeeper (baseline) and Corral over the successive kills: one "round" per kill. */
    private final FigureTable killFigures;
    private final List<String> killLines = new ArrayList<>();
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
        killsOnly = o.containsKey("kills-only");
        if (killsOnly && kills < 1) {
            throw new IllegalArgumentException("--kills-only needs --kills N");
        }
        double limitMin = Double.parseDouble(o.getOrDefault("time-limit-min", "5.5"));
        deadline = new RunDeadline(limitMin, EnsembleCompare::log);
        if (rounds < 1 || writers < 1 || observers < 0 || clients < 1 || inflight < 1 || rate < 1) {
            throw new IllegalArgumentException("options out of range");
        }
        work = Files.createTempDirectory("corral-ensemble-compare-");
        children = new ChildProcesses(o.containsKey("pidfile") ? Path.of(o.get("pidfile")) : null);
        launcher = new ServerLauncher(root, children, xmx, List.of(), EnsembleCompare.class.getName(),
                EnsembleCompare::log);
        loadTool = new LoadToolRun(root.resolve("benchmarks/target/benchmarks.jar"), children);
        figures = new FigureTable(rounds, ServerKind.ZOOKEEPER.title, ServerKind.CORRAL.title);
        withObservers = "3 participants + " + observers + " observer" + (observers == 1 ? "" : "s");
        observerFigures = new FigureTable(rounds, PARTICIPANTS_ONLY, withObservers);
        killFigures = new FigureTable(Math.max(1, kills), ServerKind.ZOOKEEPER.title, ServerKind.CORRAL.title);
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("zookeeper.sasl.client", "false");
        // the failover writers' client logs every lost connection with a stack trace: expected here, so quiet
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.zookeeper"))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        Map<String, String> o = DriverCli.options("ensemble-compare", args, OPTIONS, Set.of("kills-only"));
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
        if (!killsOnly) {
            compare(started, loadBefore, fsync);
        }
        if (kills > 0) {
            for (ServerKind kind : ServerKind.values()) { // ZooKeeper, then Corral
                if (!deadline.passed()) {
                    log(kind.title + ": " + kills + " successive leader kills under load");
                    successiveKills(kind);
                }
            }
            String section = killsSection(started, loadBefore, RunFacts.loadAverage(), fsync);
            Files.createDirectories(out.getParent());
            ReportSection.ENSEMBLE_KILLS.write(out, section);
            System.out.println(section);
            log("wrote the successive-kills section of " + out);
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
            String line = String.format(Locale.ROOT, "| %d | %s | %d (pid %d) | %s | %s | %s | %d |", round, side,
                    leader.id, leader.pid(), next == null ? "—" : "" + next.id, ms(recovery.firstMs()),
                    ms(recovery.allMs()), recovery.failedWrites());
            failovers.add(line);
            log(String.format(Locale.ROOT, "  failover: killed server %d, next leader %s, first write after %s ms, "
                            + "every writer after %s ms, %d writes failed", leader.id,
                    next == null ? "not yet known" : "" + next.id, ms(recovery.firstMs()), ms(recovery.allMs()),
                    recovery.failedWrites()));
        } catch (java.util.concurrent.TimeoutException e) {
            notes.add(side, round, "failover: the writers did not get going: " + e.getMessage());
        }
    }

    /**
     * A fresh three-server ensemble under the writers' load; {@link #kills} times: SIGKILL to the leader's pid,
     * the same member started again at once on its data, the time until the writers write again and until the
     * restarted member follows again.
     */
    private void successiveKills(ServerKind kind) throws Exception {
        String side = kind.title;
        try (Ensemble ensemble = launcher.ensemble(kind, work.resolve(kind.key() + "-kills"), 3, 0,
                Duration.ofSeconds(90));
             FailoverProbe probe = FailoverProbe.start(ensemble.connectString(), writers, 30_000, FAILOVER_ROOT)) {
            probe.awaitAcknowledged(100L * writers, Duration.ofSeconds(20));
            for (int k = 1; k <= kills && !deadline.passed(); k++) {
                LaunchedServer leader = awaitLeader(ensemble, Duration.ofSeconds(60));
                if (leader == null) {
                    notes.add(side, k, "successive kills: no leader followed by every member within 60 s; stopped");
                    return;
                }
                LaunchedServer[] restarted = new LaunchedServer[1];
                long[] killedAt = new long[1];
                FreshSessionProbe[] fresh = new FreshSessionProbe[1];
                RecoveryClock.Recovery recovery = probe.around(() -> {
                    killedAt[0] = System.nanoTime();
                    ensemble.kill9(leader);
                    fresh[0] = FreshSessionProbe.start(ensemble.connectString(), 30_000, FAILOVER_ROOT,
                            killedAt[0]);
                    restarted[0] = launcher.relaunch(leader); // at once, on its data
                }, failoverTimeout);
                ensemble.replace(leader, restarted[0]);
                Double freshMs;
                try (FreshSessionProbe session = fresh[0]) {
                    freshMs = session.awaitMs(failoverTimeout.toMillis());
                }
                Double following = awaitFollowing(restarted[0], Duration.ofSeconds(60));
                Double rejoined = following == null ? null
                        : following + (restarted[0].launchedAt - killedAt[0]) / 1e6;
                killFigures.record(KILL_FRESH, "ms", side, k, value(freshMs, "none"));
                killFigures.record(KILL_FIRST, "ms", side, k, value(recovery.firstMs(), "none"));
                killFigures.record(KILL_ALL, "ms", side, k, value(recovery.allMs(),
                        recovery.recovered() + " of " + writers));
                killFigures.record(KILL_FOLLOWING, "ms", side, k, value(following, "not within 60 s"));
                killFigures.record(KILL_REJOINED, "ms", side, k, value(rejoined, "not within 60 s"));
                LaunchedServer next = ensemble.leader();
                killLines.add(String.format(Locale.ROOT, "| %d | %s | %d | %s | %s | %s | %s | %s | %d |", k, side,
                        leader.id, next == null ? "—" : "" + next.id, ms(freshMs), ms(recovery.firstMs()),
                        ms(recovery.allMs()),
                        ms(following), recovery.failedWrites()));
                log(String.format(Locale.ROOT, "  kill %d: server %d, next leader %s, a fresh session wrote after %s "
                                + "ms, the first writer after %s ms, every writer after %s ms, the restarted member "
                                + "followed %s ms after its relaunch", k, leader.id,
                        next == null ? "not yet known" : "" + next.id, ms(freshMs), ms(recovery.firstMs()),
                        ms(recovery.allMs()), ms(following)));
                probe.awaitAcknowledged(probe.acknowledged() + 100L * writers, Duration.ofSeconds(30));
            }
        } catch (java.util.concurrent.TimeoutException e) {
            notes.add(side, 1, "successive kills: the writers did not get going: " + e.getMessage());
        }
    }

    private static Object value(Double ms, String otherwise) {
        return ms != null ? ms : otherwise;
    }

    /** The leader, once every member serves and exactly one leads; null after {@code timeout}. */
    private static LaunchedServer awaitLeader(Ensemble ensemble, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            LaunchedServer leader = ensemble.leader();
            if (leader != null && ensemble.members.stream().allMatch(m -> m.mode() != null)) {
                return leader;
            }
            Thread.sleep(20); // the driver's own thread polls the members' ports
        }
        return null;
    }

    /** Milliseconds from the member's launch until its srvr says follower; null after {@code timeout}. */
    private static Double awaitFollowing(LaunchedServer member, Duration timeout) throws InterruptedException {
        long end = member.launchedAt + timeout.toNanos();
        while (System.nanoTime() < end) {
            if ("follower".equals(member.mode())) {
                return (System.nanoTime() - member.launchedAt) / 1e6;
            }
            Thread.sleep(10); // the driver's own thread polls the member's port
        }
        return null;
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

    private static String ms(Double v) {
        return v == null ? "—" : FigureTable.fmt(v);
    }

    private static void log(String text) {
        System.err.println("ensemble-compare: " + text);
    }

    // ------------------------------------------------------------------------------------------------ report

    /** The warning of a busy machine, if any, then the results table with what it shows. */
    private static void results(StringBuilder md, String loadBefore, String loadAfter, String explanation,
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

    private String killsSection(String started, String loadBefore, String loadAfter, Map<String, Object> fsync) {
        StringBuilder md = opening("Successive leader kills: Corral vs Apache ZooKeeper 3.9.5",
                "io.corral.bench.compare.EnsembleCompare --kills N", started, loadBefore, loadAfter, fsync);
        md.append(String.format(Locale.ROOT, "- servers: per system one fresh three-server ensemble, set up as in the "
                + "ensemble comparison (`tickTime=2000`, `initLimit=10`, `syncLimit=5`, `forceSync=yes`, `-Xmx%s`); "
                + "ZooKeeper first, then Corral%n", xmx));
        md.append(String.format(Locale.ROOT, "- load and measure: %d writer sessions of the official client, each "
                + "keeping one setData in flight on its own znode, all the time. %d times: the member whose `srvr` "
                + "says leader (once every member serves) gets SIGKILL and is started again at once on its data; the "
                + "failover time runs from the signal to the first acknowledgement of a write sent after the process "
                + "was gone; at each kill one new session of the official client starts on the whole connect string "
                + "and writes once connected (the issue's figure: kill → first acknowledged write of a fresh session); "
                + "the restarted member's time runs from its relaunch until its `srvr` says follower. The "
                + "next kill waits until every member serves again and %d more writes were acknowledged%n", writers,
                kills, 100 * writers));
        results(md, loadBefore, loadAfter, "Median over the kills; the ratio is Corral / ZooKeeper per kill (the "
                + "n-th kill of one against the n-th of the other), with its median and spread (min–max). Below 1 "
                + "favours Corral.", killFigures);
        md.append("\n### Every kill\n\n");
        md.append("| kill | server | leader killed | next leader | fresh session's first write (ms) "
                + "| first write after the kill (ms) | every writer (ms) "
                + "| restarted member following after its relaunch (ms) | failed writes |\n");
        md.append("|--:|---|--:|--:|--:|--:|--:|--:|--:|\n");
        killLines.forEach(line -> md.append(line).append('\n'));
        md.append('\n').append(killFigures.everyRound());
        md.append("\n### Against the issue's target\n\n");
        md.append("- failover under 500 ms in every round (Corral, kill → first acknowledged write of a fresh session): ");
        md.append(underInEveryKill(KILL_FRESH, ServerKind.CORRAL.title, 500)).append('\n');
        md.append("- the same for the writers already connected (Corral, first write after the kill): ");
        md.append(underInEveryKill(KILL_FIRST, ServerKind.CORRAL.title, 500)).append('\n');
        md.append("\n### Notes\n\n");
        md.append("- Server logs (with each member's start-up phases) stay in the work directory above.\n");
        md.append("- Each server JVM is started as its own scripts start it: Corral with the flags of "
                + "`bin/corral-server`, which include its class data sharing archive (written once per build by a "
                + "training run), ZooKeeper without one.\n");
        notes.appendTo(md);
        return ReportSection.ENSEMBLE_KILLS.wrap(md.toString());
    }

    /** Whether every kill's figure of {@code side} is a number under {@code bound}, in words. */
    private String underInEveryKill(String figure, String side, double bound) {
        List<Object> values = killFigures.values(figure, side);
        long under = values.stream().filter(v -> v instanceof Number n && n.doubleValue() < bound).count();
        return under == values.size() && !values.isEmpty() ? "met in all " + values.size() + " kills"
                : "**falls short**: " + under + " of " + values.size() + " kills under " + (int) bound + " ms";
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
