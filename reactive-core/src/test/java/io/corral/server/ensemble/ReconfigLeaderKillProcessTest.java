package io.corral.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.corral.server.compat.CompatHarness;
import io.corral.server.compat.ZkClients;
import io.corral.server.ensemble.EnsembleConfigView.Config;

/**
 * Issue 15 on separate server JVMs: a reconfiguration interrupted by a leader kill either completes or is absent
 * everywhere, no acknowledged write is lost, and the history stays linearizable. Three voters and a spare (server
 * 4, whose files list the voters and itself: it follows without a vote) under continuous writes of official
 * ZooKeeper clients. Each round, {@code corral.reconfig.kills} of them (3 by default, more with -Psoak), sends
 * {@code ZooKeeperAdmin.reconfigure} through a member drawn at random (the leader or a follower) to add the spare
 * when it is not a member or remove it when it is, SIGKILLs the leader a random delay after the send (seeded by
 * {@code corral.reconfig.seed}, printed), and starts the killed server again at once on its data. Then every member
 * (every server the leader's configuration names) must read the same {@code /zookeeper/config}, data and Stat, which
 * must be the old configuration or the new one (the reconfig's answer if it got one), and end {@code conf} and its
 * written-back files with it. A spare that a committed removal stopped (or that, killed as the leader, found at its
 * restart files that no longer name it) is brought back fresh, as at the start, to follow without a vote again. In
 * the end every server has the same zxid and the load's writes plus a final read of every register on every server
 * are linearizable. Times to serve again are printed, not asserted.
 */
class ReconfigLeaderKillProcessTest {
    private static final int ROUNDS = Integer.getInteger("corral.reconfig.kills", 3);
    private static final long SEED = Long.getLong("corral.reconfig.seed", 15L);
    private static final Duration WHOLE_RUN = Duration.ofSeconds(120 + 45L * ROUNDS);
    private static final Duration SERVES_AGAIN_WITHIN = Duration.ofSeconds(30);
    /**
     * The largest delay from the send of the reconfig to the SIGKILL of the leader (kill(1) itself takes a few ms
     * more): a reconfig commits within a few ms here, so the kill lands before its proposal, before its commit, or
     * just after it.
     */
    private static final int MAX_KILL_DELAY_MICROS = 8_000;
    private static final int SPARE = 4;
    private static final List<Integer> VOTERS = List.of(1, 2, 3);
    private static final String PROBE = "/fresh-session-probe";

    @TempDir
    Path dir;

    @RegisterExtension
    final ProcessClusters clusters = new ProcessClusters();

    /** The reconfig's callback: its rc and, on success, the configuration it answered. */
    private record Answer(int rc, Config config) {
        String describe() {
            return rc == 0 ? "OK, version 0x" + Long.toHexString(config.configVersion())
                    : KeeperException.Code.get(rc).toString();
        }
    }

    /** What one round did and cost. */
    private record Round(int round, String change, int via, int leader, long delayMicros, Answer answer,
            boolean committed, long killNanos, FreshSessionWrite.Result fresh, long agreedNanos, String timeline) {
        String describe() {
            return String.format(Locale.ROOT, "round %d: %s through server %d, leader %d killed %d us after the send;"
                            + " answer %s; the change is %s; a fresh session's write was acknowledged %d ms after"
                            + " the kill (%d sessions tried), every server agreed on the configuration after %d ms%n%s",
                    round, change, via, leader, delayMicros, answer.describe(),
                    committed ? "committed everywhere" : "absent everywhere",
                    ms(killNanos, fresh.ackedNanos()), fresh.sessions(), ms(killNanos, agreedNanos), timeline);
        }
    }

    @Test
    void aReconfigInterruptedByALeaderKillCompletesOrIsAbsentEverywhere() {
        assertTimeoutPreemptively(WHOLE_RUN, this::run, () -> "the run did not end within " + WHOLE_RUN);
    }

    private void run() throws Exception {
        System.out.printf("reconfig under leader kills: %d rounds, seed %d (-Dcorral.reconfig.seed)%n", ROUNDS, SEED);
        SplittableRandom random = new SplittableRandom(SEED);
        ProcessCluster cluster = clusters.track(ProcessCluster.builder(dir).participants(VOTERS.size()).spares(1)
                .directLinks().config("tickTime", "2000").config("initLimit", "10").config("syncLimit", "5")
                .config("reconfigEnabled", "true")
                .config("DigestAuthenticationProvider.superDigest", CompatHarness.SUPER_DIGEST).build()).start();
        cluster.awaitLeader();
        String voters = VOTERS.stream().map(cluster::connectString).collect(Collectors.joining(","));
        ZooKeeper setup = ZkClients.connect(voters);
        try {
            setup.create(PROBE, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } finally {
            setup.close();
        }
        RegisterWorkload.Settings settings = RegisterWorkload.Settings.defaults(SEED)
                .withLimits(40_000 + 20_000 * ROUNDS, WHOLE_RUN).withPacing(Duration.ofMillis(2));
        RegisterWorkload.Running load = new RegisterWorkload(voters, settings).start();
        List<Round> rounds = new ArrayList<>();
        try {
            awaitProgress(load, "warm-up");
            for (int r = 1; r <= ROUNDS; r++) {
                Round round = round(cluster, r, random, voters);
                System.out.println(round.describe());
                rounds.add(round);
                awaitProgress(load, "after round " + r);
            }
        } finally {
            load.stop();
        }
        RegisterWorkload.Result result = load.await(Duration.ofMillis(settings.sessionTimeoutMs() * 4L));
        // every server, the spare too: after each round it serves, as a member or following without a vote
        List<Integer> serving = cluster.ids();
        long zxid = cluster.awaitSameZxid(serving, SERVES_AGAIN_WITHIN);
        History history = new History(result.history().initialValues(), FinalReads.afterWrites(cluster, serving,
                load.paths(), result.history().withoutReads().ops()));
        CheckResult check = new LinearizabilityChecker().check(history);

        System.out.println(summary(rounds, result, serving, zxid, check));
        assertThat(result.unexpected()).as("unexpected results").isEmpty();
        assertThat(check.linearizable()).as(check.summary() + "\n" + check.explanation()).isTrue();
        assertThat(rounds).hasSize(ROUNDS);
    }

    private static Round round(ProcessCluster cluster, int round, SplittableRandom random, String voters)
            throws Exception {
        int leader = cluster.awaitLeader(SERVES_AGAIN_WITHIN);
        Config before = agreed(cluster);
        boolean remove = before.hasMember(SPARE);
        String joining = remove ? null : cluster.serverLine(SPARE);
        String leaving = remove ? Integer.toString(SPARE) : null;
        String newLines = remove ? before.lines().replace(cluster.serverLine(SPARE) + "\n", "")
                : before.lines() + cluster.serverLine(SPARE) + "\n";
        List<Integer> members = cluster.ids().stream().filter(before::hasMember).toList();
        // through the leader half of the time: its clients lose their connection with it, while a follower holds
        // its clients and passes a forwarded request on to the next leader
        List<Integer> followers = members.stream().filter(id -> id != leader).toList();
        int via = random.nextBoolean() ? leader : followers.get(random.nextInt(followers.size()));
        long delayMicros = random.nextLong(MAX_KILL_DELAY_MICROS + 1L);

        CompletableFuture<Answer> answer = new CompletableFuture<>();
        ZooKeeperAdmin admin = ZkClients.superAdmin(cluster.connectString(via));
        long killAt;
        LocalTime killClock;
        try {
            admin.reconfigure(joining, leaving, null, -1, (rc, path, ctx, data, stat) -> answer.complete(
                    new Answer(rc, rc == 0 ? Config.of(data, stat) : null)), null);
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(delayMicros)); // a drawn delay, not a wait
            killClock = LocalTime.now();
            killAt = System.nanoTime();
            cluster.kill9(leader);
            cluster.server(leader).launch(); // at once, on its data
            await("the reconfig's answer").atMost(SERVES_AGAIN_WITHIN).until(answer::isDone);
        } finally {
            admin.close();
        }
        FreshSessionWrite.Result fresh = FreshSessionWrite.firstWrite(voters, PROBE, Duration.ofMillis(25),
                SERVES_AGAIN_WITHIN);
        Map<Integer, Config> configs = EnsembleConfigView.awaitAgreement(cluster, SERVES_AGAIN_WITHIN);
        long agreedAt = System.nanoTime();
        Config after = configs.values().iterator().next();
        if (after.hasMember(leader)) {
            cluster.server(leader).awaitListening(ProcessCluster.START_TIMEOUT);
        }
        Answer got = answer.get();
        String change = (remove ? "remove" : "add") + " server " + SPARE;

        // either the old configuration or the new one, the same everywhere, and what the reconfig answered
        boolean committed = after.configVersion() != before.configVersion();
        if (committed) {
            assertThat(after.lines()).as("round %d (%s): the new configuration", round, change).isEqualTo(newLines);
            assertThat(after.configVersion()).isGreaterThan(before.configVersion()).isEqualTo(after.mzxid());
        } else {
            assertThat(after).as("round %d (%s): the old configuration", round, change).isEqualTo(before);
        }
        if (got.rc() == 0) {
            assertThat(after).as("round %d: what the acknowledged reconfig answered is what is in force", round)
                    .isEqualTo(got.config());
        }
        for (int id : configs.keySet()) {
            EnsembleConfigView.awaitWrittenBack(cluster, id, after, SERVES_AGAIN_WITHIN);
        }
        if (!after.hasMember(SPARE) && !cluster.role(SPARE).serving()) {
            // a committed removal stopped it, or, killed as the leader, it found at its restart files that no longer
            // name it; as an operator would, the test brings it back as a fresh spare
            if (!cluster.server(SPARE).running()) {
                assertThat(cluster.server(SPARE).tail(40)).as("why server %d stopped", SPARE)
                        .contains("has no server." + SPARE + " line");
            }
            cluster.reprovision(SPARE);
            await("server " + SPARE + " follows again").atMost(SERVES_AGAIN_WITHIN).pollInterval(Duration.ofMillis(50))
                    .until(() -> cluster.role(SPARE) == ServerProcess.Role.FOLLOWER);
        }
        return new Round(round, change, via, leader, delayMicros, got, committed, killAt, fresh, agreedAt,
                FailoverTimeline.of(cluster, leader, killClock));
    }

    /** The configuration every server that serves agrees on. */
    private static Config agreed(ProcessCluster cluster) {
        return EnsembleConfigView.awaitAgreement(cluster, SERVES_AGAIN_WITHIN).values().iterator().next();
    }

    /** Waits until the workload has 300 more acknowledged operations. */
    private static void awaitProgress(RegisterWorkload.Running load, String step) {
        long from = load.acknowledged();
        await(step + ": 300 more acknowledged operations").atMost(SERVES_AGAIN_WITHIN)
                .pollInterval(Duration.ofMillis(20))
                .failFast("the workload ended", load::finished)
                .until(() -> load.acknowledged() >= from + 300);
    }

    private static String summary(List<Round> rounds, RegisterWorkload.Result result, List<Integer> serving,
                                  long zxid, CheckResult check) {
        StringBuilder sb = new StringBuilder("reconfig under leader kills: " + rounds.size() + " rounds, "
                + rounds.stream().filter(Round::committed).count() + " reconfigs committed\n");
        sb.append("  kill -> first acknowledged write of a fresh session (ms):");
        rounds.forEach(r -> sb.append(' ').append(ms(r.killNanos(), r.fresh().ackedNanos())));
        sb.append("\n  kill -> every server agrees on the configuration (ms):");
        rounds.forEach(r -> sb.append(' ').append(ms(r.killNanos(), r.agreedNanos())));
        sb.append("\n  load: ").append(result.summary()).append("\n  servers ").append(serving)
                .append(" at zxid 0x").append(Long.toHexString(zxid)).append("\n  check: ").append(check.summary());
        return sb.toString();
    }

    private static long ms(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }
}
