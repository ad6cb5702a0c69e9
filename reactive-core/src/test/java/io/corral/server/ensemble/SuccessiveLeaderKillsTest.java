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
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.corral.server.compat.ZkClients;

/**
 * Issue 10's fault, again and again: a three-server ensemble of separate JVMs under continuous writes of official
 * ZooKeeper clients; the leader gets SIGKILL and is started again at once on its data, {@code corral.leader.kills}
 * times (3 by default, 24 with -Psoak). After each kill a fresh session of the official client writes (the time from
 * the kill to its first acknowledged write is printed, with the survivors' log lines of the failover), and the
 * restarted server must follow again and catch up with the leader (printed too). In the end every member serves
 * with the same zxid, the history of the load's writes plus a final read of every register on every member is
 * linearizable (so no acknowledged write was lost), and nothing unexpected came back. Times are printed, not
 * asserted: speed is the benchmarks' business.
 *
 * <p>The load is moderate (about a thousand writes a second) so that a restarted server is a few thousand txns
 * behind when it comes back, which its leader sends as a DIFF.
 */
class SuccessiveLeaderKillsTest {
    private static final int KILLS = Integer.getInteger("corral.leader.kills", 3);
    /** Wall-clock bound of the whole test: it stops by itself, whatever happens. */
    private static final Duration WHOLE_RUN = Duration.ofSeconds(150 + 45L * KILLS);
    private static final Duration SERVES_AGAIN_WITHIN = Duration.ofSeconds(30);
    private static final String PROBE = "/fresh-session-probe";

    @TempDir
    Path dir;

    @RegisterExtension
    final ProcessClusters clusters = new ProcessClusters();

    /** What one kill cost. */
    private record Round(int round, int killed, long killNanos, LocalTime killClock, FreshSessionWrite.Result fresh,
            long relaunchNanos, long followingNanos, long caughtUpNanos, long caughtUpZxid, String timeline) {

        String describe() {
            return String.format(Locale.ROOT, "round %d: leader %d killed; a fresh session was connected after %d ms "
                            + "and its write acknowledged after %d ms (%d sessions tried); server %d, started again, "
                            + "followed after %d ms and had caught up with the leader (zxid 0x%x) after %d ms%n%s",
                    round, killed, ms(killNanos, fresh.connectedNanos()), ms(killNanos, fresh.ackedNanos()),
                    fresh.sessions(), killed, ms(relaunchNanos, followingNanos), caughtUpZxid,
                    ms(relaunchNanos, caughtUpNanos), timeline);
        }
    }

    @Test
    void theLeaderKilledAndRestartedAgainAndAgainUnderWrites() {
        assertTimeoutPreemptively(WHOLE_RUN, this::run, () -> "the run did not end within " + WHOLE_RUN);
    }

    private void run() throws Exception {
        ProcessCluster cluster = clusters.track(ProcessCluster.builder(dir).participants(3)
                .config("tickTime", "2000").config("initLimit", "10").config("syncLimit", "5").build()).start();
        cluster.awaitLeader();
        ZooKeeper setup = ZkClients.connect(cluster.connectString());
        try {
            setup.create(PROBE, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } finally {
            setup.close();
        }
        RegisterWorkload.Settings settings = RegisterWorkload.Settings.defaults(29L)
                .withLimits(40_000 + 20_000 * KILLS, WHOLE_RUN)
                .withPacing(Duration.ofMillis(2));
        RegisterWorkload.Running load = new RegisterWorkload(cluster.connectString(), settings).start();
        List<Round> rounds = new ArrayList<>();
        try {
            awaitProgress(load, cluster, "warm-up");
            for (int r = 1; r <= KILLS; r++) {
                Round round = killTheLeader(cluster, r);
                System.out.println(round.describe());
                rounds.add(round);
                awaitProgress(load, cluster, "after round " + r);
            }
        } finally {
            load.stop();
        }
        RegisterWorkload.Result result = load.await(Duration.ofMillis(settings.sessionTimeoutMs() * 4L));
        long zxid = cluster.awaitSameZxid(cluster.ids(), SERVES_AGAIN_WITHIN);
        History history = new History(result.history().initialValues(), FinalReads.afterWrites(cluster,
                cluster.ids(), load.paths(), result.history().withoutReads().ops()));
        CheckResult check = new LinearizabilityChecker().check(history);

        System.out.println(summary(rounds, result, zxid, check));
        assertThat(result.unexpected()).as("unexpected results").isEmpty();
        assertThat(check.linearizable()).as(check.summary() + "\n" + check.explanation()).isTrue();
        assertThat(rounds).hasSize(KILLS);
    }

    private static Round killTheLeader(ProcessCluster cluster, int round) throws Exception {
        int leader = cluster.awaitLeader(SERVES_AGAIN_WITHIN);
        LocalTime killClock = LocalTime.now();
        long killAt = System.nanoTime();
        cluster.kill9(leader);
        long relaunchAt = System.nanoTime();
        cluster.server(leader).launch(); // at once, on its data: it recovers while the others elect
        FreshSessionWrite.Result fresh = FreshSessionWrite.firstWrite(cluster.connectString(), PROBE,
                Duration.ofMillis(25), SERVES_AGAIN_WITHIN);
        cluster.server(leader).awaitListening(ProcessCluster.START_TIMEOUT);
        long following = awaitRole(cluster, leader, ServerProcess.Role.FOLLOWER);
        long target = cluster.zxid(cluster.awaitLeader(SERVES_AGAIN_WITHIN));
        long caughtUp = awaitZxid(cluster, leader, target);
        return new Round(round, leader, killAt, killClock, fresh, relaunchAt, following, caughtUp, target,
                FailoverTimeline.of(cluster, leader, killClock));
    }

    /** Waits until the workload has 300 more acknowledged operations. */
    private static void awaitProgress(RegisterWorkload.Running load, ProcessCluster cluster, String step) {
        long from = load.acknowledged();
        await(step + ": 300 more acknowledged operations").atMost(SERVES_AGAIN_WITHIN)
                .pollInterval(Duration.ofMillis(20))
                .failFast("the workload ended", load::finished)
                .until(() -> load.acknowledged() >= from + 300);
    }

    private static long awaitRole(ProcessCluster cluster, int id, ServerProcess.Role role) {
        await("server " + id + " is " + role).atMost(SERVES_AGAIN_WITHIN).pollInterval(Duration.ofMillis(10))
                .until(() -> cluster.role(id) == role);
        return System.nanoTime();
    }

    private static long awaitZxid(ProcessCluster cluster, int id, long zxid) {
        await("server " + id + " has applied 0x" + Long.toHexString(zxid)).atMost(SERVES_AGAIN_WITHIN)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> cluster.zxid(id) >= zxid);
        return System.nanoTime();
    }

    private static String summary(List<Round> rounds, RegisterWorkload.Result result, long zxid, CheckResult check) {
        StringBuilder sb = new StringBuilder("successive leader kills: " + rounds.size() + " rounds\n");
        sb.append("  kill -> first acknowledged write of a fresh session (ms):");
        rounds.forEach(r -> sb.append(' ').append(ms(r.killNanos(), r.fresh().ackedNanos())));
        sb.append("\n  restarted member: relaunch -> following (ms):");
        rounds.forEach(r -> sb.append(' ').append(ms(r.relaunchNanos(), r.followingNanos())));
        sb.append("\n  restarted member: relaunch -> caught up with the leader (ms):");
        rounds.forEach(r -> sb.append(' ').append(ms(r.relaunchNanos(), r.caughtUpNanos())));
        sb.append("\n  load: ").append(result.summary()).append("\n  every member at zxid 0x")
                .append(Long.toHexString(zxid)).append("\n  check: ").append(check.summary());
        return sb.toString();
    }

    private static long ms(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }
}
