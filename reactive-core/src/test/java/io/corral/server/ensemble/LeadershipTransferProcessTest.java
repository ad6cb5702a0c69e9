package io.corral.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;

/**
 * Leadership transfer on real processes under write load, with clients of the official ZooKeeper library on every
 * server (the leader's included): the four-letter word {@code xfer} sent to the leader hands over to the best
 * follower, sent to a follower makes it the leader; a graceful stop (SIGTERM) of the leader hands over first. No
 * client request fails and no client is disconnected (but those of the stopped server); the write pause of each
 * transfer is measured and printed.
 */
class LeadershipTransferProcessTest {
    private static final Duration WHOLE_RUN = Duration.ofSeconds(180);
    private static final Duration ELECTED_WITHIN = Duration.ofSeconds(30);
    private static final Pattern HANDING_TO = Pattern.compile("Handing leadership over to server (\\d+)");
    /** a transfer's own gap begins this soon after the xfer is sent: the old leader acts on it at once (a figure only) */
    private static final long GAP_STARTS_WITHIN_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    @TempDir
    Path dir;

    @RegisterExtension
    final ProcessClusters clusters = new ProcessClusters();

    @Test
    void transfersUnderWriteLoadFailNoRequest() {
        assertTimeoutPreemptively(WHOLE_RUN, () -> {
            ProcessCluster cluster = cluster();
            int leader = cluster.awaitLeader();
            try (SteadyWrites load = new SteadyWrites(cluster.ids().stream().map(cluster::connectString).toList())) {
                settle();
                // to the best follower, asked of the leader
                long sent = System.nanoTime();
                String answer = cluster.fourLetterWord(leader, "xfer");
                Matcher m = HANDING_TO.matcher(answer == null ? "" : answer);
                assertThat(m.find()).as("answer to xfer: %s", answer).isTrue();
                int target = Integer.parseInt(m.group(1));
                assertThat(target).isNotEqualTo(leader);
                assertThat(cluster.awaitLeader(ELECTED_WITHIN)).isEqualTo(target);
                settle();
                report("xfer to the leader (hands over to the best follower)", load, sent);

                // to a named server: xfer asked of a follower makes it the leader
                int named = cluster.ids().stream().filter(id -> id != target).findFirst().orElseThrow();
                sent = System.nanoTime();
                assertThat(cluster.fourLetterWord(named, "xfer"))
                        .isEqualTo("Asked the leader to hand leadership over to this server\n");
                assertThat(cluster.awaitLeader(ELECTED_WITHIN)).isEqualTo(named);
                settle();
                report("xfer to follower " + named + " (it takes over)", load, sent);

                // more rounds for a figure (-Dcorral.transfer.rounds=N): xfer to the leader each time
                // and as many windows of the same length without a transfer: the longest gap there is the load's own
                // (the whole window, and the longest gap that began within 20 ms of the xfer, as the transfer's does:
                // the load on this machine has gaps of its own, a few a second)
                List<Double> pauses = new ArrayList<>();
                List<Double> quiet = new ArrayList<>();
                List<Double> pausesShort = new ArrayList<>();
                List<Double> quietShort = new ArrayList<>();
                List<Double> sessionPauses = new ArrayList<>();
                List<Double> sessionQuiet = new ArrayList<>();
                for (int round = 0; round < Integer.getInteger("corral.transfer.rounds", 0); round++) {
                    int current = cluster.awaitLeader(ELECTED_WITHIN);
                    long quietFrom = System.nanoTime();
                    settle();
                    long quietTo = System.nanoTime();
                    quiet.add(load.longestGapMillis(quietFrom, quietTo));
                    quietShort.add(load.longestGapMillis(quietFrom, quietFrom + GAP_STARTS_WITHIN_NANOS, quietTo));
                    sessionQuiet.add(longestSessionGap(load, quietFrom, quietTo));
                    sent = System.nanoTime();
                    assertThat(cluster.fourLetterWord(current, "xfer")).startsWith("Handing leadership over");
                    assertThat(cluster.awaitLeader(ELECTED_WITHIN)).isNotEqualTo(current);
                    settle();
                    long to = System.nanoTime();
                    pauses.add(load.longestGapMillis(sent, to));
                    pausesShort.add(load.longestGapMillis(sent, sent + GAP_STARTS_WITHIN_NANOS, to));
                    sessionPauses.add(longestSessionGap(load, sent, to));
                }
                if (!pauses.isEmpty()) {
                    System.out.printf("leadership transfer, %d more rounds: write pause %s; longest gap in as long a "
                                    + "window without a transfer %s; the longest gap beginning within 20 ms of the "
                                    + "xfer %s, of the window's start without a transfer %s; the same for the session "
                                    + "that waited longest %s, without a transfer %s; median write %.1f ms; "
                                    + "%d writes, %d failed%n", pauses.size(), medianMax(pauses),
                            medianMax(quiet), medianMax(pausesShort), medianMax(quietShort), medianMax(sessionPauses),
                            medianMax(sessionQuiet), load.medianMillis(), load.writes().size(), load.failed().size());
                }

                load.stop();
                assertThat(load.failed()).as(() -> "failed writes; the servers' logs:\n" + cluster.logs(200)).isEmpty();
                assertThat(load.versionsAgainstWrites()).as("each write applied once").isEmpty();
                assertThat(load.states()).as("connection states the clients saw").isEmpty();
                assertThat(load.writes().size()).isGreaterThan(50);
            }
        });
    }

    @Test
    void aGracefulStopOfTheLeaderHandsOverFirst() {
        assertTimeoutPreemptively(WHOLE_RUN, () -> {
            ProcessCluster cluster = cluster();
            int leader = cluster.awaitLeader();
            List<Integer> followers = cluster.ids().stream().filter(id -> id != leader).toList();
            try (SteadyWrites load = new SteadyWrites(followers.stream().map(cluster::connectString).toList())) {
                settle();
                long sent = System.nanoTime();
                cluster.terminate(leader);
                int next = cluster.awaitLeader(ELECTED_WITHIN);
                assertThat(next).isIn(followers);
                settle();
                report("SIGTERM to the leader", load, sent);
                load.stop();
                assertThat(load.failed()).as(() -> "failed writes; the servers' logs:\n" + cluster.logs(200)).isEmpty();
                assertThat(load.versionsAgainstWrites()).as("each write applied once").isEmpty();
                assertThat(load.states()).as("connection states the followers' clients saw").isEmpty();
                assertThat(Files.readString(cluster.server(leader).logFile()))
                        .contains("Handing leadership over to server " + next + " before stopping")
                        .contains("Leadership handed over; stopping");
            }
        });
    }

    private ProcessCluster cluster() {
        // ZooKeeper's usual timing: a failover would wait for syncLimit or an election timeout; a transfer does not
        return clusters.track(ProcessCluster.builder(dir).participants(3).config("tickTime", "2000")
                .config("initLimit", "10").config("syncLimit", "5").config("clientHoldDuringElectionMs", "10000")
                .build()).start();
    }

    /** lets the writes run on for a while */
    private static void settle() {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).atMost(Duration.ofSeconds(5))
                .until(() -> System.nanoTime() >= until);
    }

    /** the longest gap between one session's own writes that began within 20 ms of {@code from}, in any session */
    private static double longestSessionGap(SteadyWrites load, long from, long to) {
        double longest = 0;
        for (int c = 0; c < load.clients(); c++) {
            longest = Math.max(longest, load.longestGapMillis(c, from, from + GAP_STARTS_WITHIN_NANOS, to));
        }
        return longest;
    }

    private static String medianMax(List<Double> millis) {
        List<Double> sorted = millis.stream().sorted().toList();
        return String.format("median %.1f ms, max %.1f ms", sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    }

    private static void report(String what, SteadyWrites load, long sent) {
        long end = System.nanoTime();
        System.out.printf("leadership transfer, %s: writes paused %.1f ms (longest time with no write completing "
                        + "from the request to 1.5 s after the new leader served), slowest write %.1f ms, median "
                        + "write %.1f ms, %d writes so far, %d failed%n", what, load.longestGapMillis(sent, end),
                load.slowestMillis(sent, end), load.medianMillis(), load.writes().size(), load.failed().size());
    }
}
