package io.corral.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One fault of the leader after another under a continuous write load: a fresh three-server ZooKeeper 3.9.5
 * ensemble, then a Corral one; each time the member that leads gets the fault and is started again at once on its
 * data. The fault is a crash ({@link Fault#KILL}, SIGKILL) or an operator's stop ({@link Fault#STOP}, SIGTERM, what
 * {@code zkServer.sh stop} and {@code bin/corral-server stop} send; Corral's leader hands over before it stops,
 * ZooKeeper's does not), the step of a rolling restart that costs a failover. Each fault kind writes its own section
 * of benchmarks/RESULTS.md.
 */
final class SuccessiveLeaderFaults {

    /** What the leader gets. */
    enum Fault {
        KILL("kill -9 of the leader", "kill", "killed", "SIGKILL", ReportSection.ENSEMBLE_KILLS,
                "Successive leader kills: Corral vs Apache ZooKeeper 3.9.5", "--kills N"),
        STOP("SIGTERM to the leader (a graceful stop)", "stop", "stopped", "SIGTERM", ReportSection.ENSEMBLE_STOPS,
                "Successive leader stops, as in a rolling restart: Corral vs Apache ZooKeeper 3.9.5", "--stops N");

        final String figure;
        final String noun;
        final String done;
        final String signal;
        final ReportSection section;
        final String title;
        final String option;

        Fault(String figure, String noun, String done, String signal, ReportSection section, String title,
              String option) {
            this.figure = figure;
            this.noun = noun;
            this.done = done;
            this.signal = signal;
            this.section = section;
            this.title = title;
            this.option = option;
        }
    }

    private static final String FOLLOWING = "restarted member: relaunch → following again";

    /** What the run shares with the ensemble comparison: where and how servers start, and its limits. */
    record Setup(ServerLauncher launcher, Path work, int writers, Duration failoverTimeout, RunDeadline deadline,
                 String xmx, String failoverRoot, Consumer<String> log) {
    }

    private final Setup setup;
    private final Fault fault;
    private final int count;
    /** ZooKeeper (baseline) and Corral: one "round" per fault. */
    private final FigureTable figures;
    private final List<String> lines = new ArrayList<>();
    private final RunNotes notes;

    SuccessiveLeaderFaults(Setup setup, Fault fault, int count) {
        if (count < 1) {
            throw new IllegalArgumentException(fault.option + ": at least one");
        }
        this.setup = setup;
        this.fault = fault;
        this.count = count;
        figures = new FigureTable(count, ServerKind.ZOOKEEPER.title, ServerKind.CORRAL.title);
        notes = new RunNotes(setup.log());
    }

    /** ZooKeeper, then Corral, while the run's time lasts. */
    void run() throws Exception {
        for (ServerKind kind : ServerKind.values()) {
            if (!setup.deadline().passed()) {
                setup.log().accept(kind.title + ": " + count + " successive leader " + fault.noun + "s under load");
                on(kind);
            }
        }
    }

    private String fresh() {
        return fault.figure + " → first acknowledged write of a fresh session";
    }

    private String first() {
        return fault.figure + " → next acknowledged write (first writer)";
    }

    private String every() {
        return fault.figure + " → every writer has written again";
    }

    private String disconnected() {
        return "writer sessions that lost their connection (of " + setup.writers() + ")";
    }

    private String onLeader() {
        return "writer sessions connected to the leader at the " + fault.noun;
    }

    private String pause() {
        return "longest pause of a writer that kept its connection";
    }

    private String rejoined() {
        return fault.figure + " → the " + fault.done + " member following again";
    }

    private void on(ServerKind kind) throws Exception {
        String side = kind.title;
        try (Ensemble ensemble = setup.launcher().ensemble(kind, setup.work().resolve(kind.key() + "-" + fault.noun
                + "s"), 3, 0, Duration.ofSeconds(90));
             FailoverProbe probe = FailoverProbe.start(ensemble.connectString(), setup.writers(), 30_000,
                     setup.failoverRoot())) {
            probe.awaitAcknowledged(100L * setup.writers(), Duration.ofSeconds(20));
            for (int k = 1; k <= count && !setup.deadline().passed(); k++) {
                LaunchedServer leader = awaitLeader(ensemble, Duration.ofSeconds(60));
                if (leader == null) {
                    notes.add(side, k, "no leader followed by every member within 60 s; stopped");
                    return;
                }
                int onLeader = probe.sessionsConnectedTo(leader.clientPort);
                LaunchedServer[] restarted = new LaunchedServer[1];
                long[] faultAt = new long[1];
                int[] exit = new int[1];
                FreshSessionProbe[] fresh = new FreshSessionProbe[1];
                RecoveryClock.Recovery recovery = probe.around(() -> {
                    faultAt[0] = System.nanoTime();
                    exit[0] = fault == Fault.KILL ? ensemble.kill9(leader) : ensemble.stop(leader);
                    fresh[0] = FreshSessionProbe.start(ensemble.connectString(), 30_000, setup.failoverRoot(),
                            faultAt[0]);
                    restarted[0] = setup.launcher().relaunch(leader); // at once, on its data
                }, setup.failoverTimeout());
                ensemble.replace(leader, restarted[0]);
                Double freshMs;
                try (FreshSessionProbe session = fresh[0]) {
                    freshMs = session.awaitMs(setup.failoverTimeout().toMillis());
                }
                Double following = awaitFollowing(restarted[0], Duration.ofSeconds(60));
                Double rejoined = following == null ? null
                        : following + (restarted[0].launchedAt - faultAt[0]) / 1e6;
                record(side, k, freshMs, recovery, onLeader, following, rejoined);
                LaunchedServer next = ensemble.leader();
                String freshText = FigureTable.fmtOrDash(freshMs);
                String firstText = FigureTable.fmtOrDash(recovery.firstMs());
                String everyText = FigureTable.fmtOrDash(recovery.allMs());
                String pauseText = FigureTable.fmtOrDash(recovery.longestPauseConnectedMs());
                String followingText = FigureTable.fmtOrDash(following);
                String nextId = next == null ? "—" : "" + next.id;
                lines.add(String.format(Locale.ROOT, "| %d | %s | %d (exit %d) | %s | %s | %s | %s | %d | %d | %s "
                                + "| %s | %d |", k, side, leader.id, exit[0], nextId, freshText, firstText, everyText,
                        onLeader, recovery.sessionsDisconnected(), pauseText, followingText, recovery.failedWrites()));
                setup.log().accept(String.format(Locale.ROOT, "  %s %d: server %d (exit %d), next leader %s, a fresh "
                                + "session wrote after %s ms, the first writer after %s ms, every writer after %s ms; "
                                + "%d sessions were on it, %d disconnected, longest pause of the others %s ms; %d "
                                + "writes failed; the restarted member followed %s ms after its relaunch",
                        fault.noun, k, leader.id, exit[0], next == null ? "not yet known" : nextId, freshText,
                        firstText, everyText, onLeader, recovery.sessionsDisconnected(), pauseText,
                        recovery.failedWrites(), followingText));
                probe.awaitAcknowledged(probe.acknowledged() + 100L * setup.writers(), Duration.ofSeconds(30));
            }
        } catch (java.util.concurrent.TimeoutException e) {
            notes.add(side, 1, "the writers did not get going: " + e.getMessage());
        }
    }

    private void record(String side, int k, Double freshMs, RecoveryClock.Recovery recovery, int onLeader,
                        Double following, Double rejoined) {
        figures.record(fresh(), "ms", side, k, value(freshMs, "none"));
        figures.record(first(), "ms", side, k, value(recovery.firstMs(), "none"));
        figures.record(every(), "ms", side, k, value(recovery.allMs(),
                recovery.recovered() + " of " + setup.writers()));
        figures.record(onLeader(), "sessions", side, k, onLeader);
        figures.record(disconnected(), "sessions", side, k, recovery.sessionsDisconnected());
        figures.record(pause(), "ms", side, k, value(recovery.longestPauseConnectedMs(), "none kept it"));
        figures.record("failed writes", "writes", side, k, recovery.failedWrites());
        figures.record(FOLLOWING, "ms", side, k, value(following, "not within 60 s"));
        figures.record(rejoined(), "ms", side, k, value(rejoined, "not within 60 s"));
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

    // ------------------------------------------------------------------------------------------------ report

    /** Writes this fault kind's section of {@code out}, and returns it. */
    String write(Path out, StringBuilder opening, String loadBefore, String loadAfter) throws IOException {
        String section = section(opening, loadBefore, loadAfter);
        Files.createDirectories(out.getParent());
        fault.section.write(out, section);
        return section;
    }

    private String section(StringBuilder md, String loadBefore, String loadAfter) {
        int writers = setup.writers();
        md.append(String.format(Locale.ROOT, "- servers: per system one fresh three-server ensemble, set up as in the "
                + "ensemble comparison (`tickTime=2000`, `initLimit=10`, `syncLimit=5`, `forceSync=yes`, `-Xmx%s`); "
                + "ZooKeeper first, then Corral%n", setup.xmx()));
        md.append(String.format(Locale.ROOT, "- load and measure: %d writer sessions of the official client (session "
                + "timeout 30 s), each keeping one setData in flight on its own znode, all the time. %d times: the "
                + "member whose `srvr` says leader (once every member serves) gets %s to its pid and is started again "
                + "at once on its data, once its process is gone; the time runs from the signal to the first "
                + "acknowledgement of a write sent after the process was gone; at each %s one new session of the "
                + "official client starts on the whole connect string and writes once connected; a writer's pause is "
                + "the longest time between two of its acknowledgements from the signal until it wrote again, over "
                + "the writers that never lost their connection; the restarted member's time runs from its relaunch "
                + "until its `srvr` says follower. The next %s waits until every member serves again and %d more "
                + "writes were acknowledged%n", writers, count, fault.signal, fault.noun, fault.noun, 100 * writers));
        if (fault == Fault.STOP) {
            md.append("- the stop: SIGTERM, as `zkServer.sh stop` and `bin/corral-server stop` send it; then up to "
                    + "15 s for the process to exit before SIGKILL (the exit status is in the table below: 143 is an "
                    + "exit on SIGTERM, 137 a SIGKILL). Corral's leader hands its leadership over to a follower before "
                    + "it stops (`syncLimit` ticks at most); ZooKeeper's leader stops, and its followers elect another "
                    + "one, dropping their clients' connections meanwhile\n");
        }
        EnsembleCompare.results(md, loadBefore, loadAfter, "Median over the " + fault.noun + "s; the ratio is "
                + "Corral / ZooKeeper per " + fault.noun + " (the n-th of one against the n-th of the other), with its "
                + "median and spread (min–max). Below 1 favours Corral.", figures);
        md.append("\n### Every ").append(fault.noun).append("\n\n");
        md.append("| ").append(fault.noun).append(" | server | leader ").append(fault.done)
                .append(" | next leader | fresh session's first write (ms) | first write after the ").append(fault.noun)
                .append(" (ms) | every writer (ms) | sessions on the leader | sessions disconnected "
                        + "| longest pause of the others (ms) "
                        + "| restarted member following after its relaunch (ms) | failed writes |\n");
        md.append("|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        lines.forEach(line -> md.append(line).append('\n'));
        md.append('\n').append(figures.everyRound());
        md.append("\n### Against the issue's target\n\n");
        if (fault == Fault.KILL) {
            md.append("- failover under 500 ms in every round (Corral, kill → first acknowledged write of a fresh "
                    + "session): ").append(underInEvery(fresh(), 500)).append('\n');
            md.append("- the same for the writers already connected (Corral, first write after the kill): ");
            md.append(underInEvery(first(), 500)).append('\n');
        } else {
            md.append("- a rolling restart costs no failover (Corral: only the sessions on the stopped member lose "
                    + "their connection, at most one in three on average; no write of the others fails): see the "
                    + "sessions and failed writes above; the longest pause of a writer that kept its connection, "
                    + "Corral: ").append(underInEvery(pause(), 100)).append('\n');
        }
        md.append("\n### Notes\n\n");
        md.append("- Server logs (with each member's start-up phases) stay in the work directory above.\n");
        md.append("- Each server JVM is started as its own scripts start it: Corral with the flags of "
                + "`bin/corral-server`, which include its class data sharing archive (written once per build by a "
                + "training run), ZooKeeper without one.\n");
        md.append("- The official client waits a random 0–1 s before each reconnection attempt, on both systems "
                + "alike: a session that lost its connection is back no sooner.\n");
        notes.appendTo(md);
        return fault.section.wrap(md.toString());
    }

    /** Whether every fault's figure of Corral is a number under {@code bound}, in words. */
    private String underInEvery(String figure, double bound) {
        List<Object> values = figures.values(figure, ServerKind.CORRAL.title);
        long under = values.stream().filter(v -> v instanceof Number n && n.doubleValue() < bound).count();
        return under == values.size() && !values.isEmpty() ? "under " + (int) bound + " ms in all " + values.size()
                + " " + fault.noun + "s"
                : "**falls short**: " + under + " of " + values.size() + " " + fault.noun + "s under " + (int) bound
                + " ms";
    }
}
