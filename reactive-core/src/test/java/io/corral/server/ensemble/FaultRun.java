package io.corral.server.ensemble;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.KeeperException;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A register workload on a cluster with faults injected one after the other, then the history checked. Between
 * steps it waits for the workload to make progress (a number of new acknowledged operations): after warm-up, while
 * a fault is on (when a quorum remains) and after each repair, so a run also shows the cluster stayed available.
 *
 * <pre>{@code
 * FaultRun.Report r = new FaultRun(cluster, RegisterWorkload.Settings.defaults(seed)).run(
 *         Fault.killLeader(), Fault.pauseFollower(), Fault.isolateLeader(), Fault.restartAll());
 * r.assertLinearizable();
 * }</pre>
 */
public final class FaultRun {

    private final ProcessCluster cluster;
    private final RegisterWorkload.Settings settings;
    private int progressOps = 200;
    private Duration progressTimeout = Duration.ofSeconds(60);
    private boolean checkReads;

    /**
     * The workload's own limits (maxOps, maxDuration) must leave room for every step: the run stops the workload
     * itself after the last one.
     */
    public FaultRun(ProcessCluster cluster, RegisterWorkload.Settings settings) {
        this.cluster = cluster;
        this.settings = settings;
    }

    /** New acknowledged operations to wait for at each step (default 200). */
    public FaultRun progress(int ops, Duration timeout) {
        this.progressOps = ops;
        this.progressTimeout = timeout;
        return this;
    }

    /**
     * Also check reads (default: writes only, what ZooKeeper promises; a follower serves reads from its own copy,
     * which may lag). A standalone server's reads are linearizable too.
     */
    public FaultRun checkReads(boolean on) {
        this.checkReads = on;
        return this;
    }

    /** What happened. */
    public record Report(RegisterWorkload.Result workload, CheckResult check, List<String> steps,
            Duration checkTime) {

        /** Fails with the checker's explanation unless the history is linearizable and nothing unexpected came. */
        public void assertLinearizable() {
            if (!workload.unexpected().isEmpty()) {
                throw new AssertionError("unexpected results: " + workload.unexpected() + "\n" + this);
            }
            if (!check.linearizable()) {
                throw new AssertionError(check.summary() + "\n" + check.explanation() + "\n" + this);
            }
        }

        @Override
        public String toString() {
            return "steps: " + steps + "\nworkload: " + workload.summary() + "\ncheck: " + check.summary() + " in "
                    + checkTime.toMillis() + " ms";
        }
    }

    public Report run(Fault... faults) throws KeeperException, InterruptedException {
        cluster.awaitLeader();
        List<String> steps = new ArrayList<>();
        RegisterWorkload.Running running = new RegisterWorkload(cluster.connectString(), settings).start();
        try {
            awaitProgress(running, "warm-up", steps);
            for (Fault fault : faults) {
                boolean serving = fault.begin(cluster);
                if (serving) {
                    awaitProgress(running, fault.name() + ", during", steps);
                } else {
                    steps.add(fault.name() + ", during: not serving");
                }
                fault.end(cluster);
                awaitProgress(running, fault.name() + ", after", steps);
            }
        } finally {
            running.stop();
        }
        RegisterWorkload.Result result = running.await(Duration.ofMillis(settings.sessionTimeoutMs() * 4L));
        History history = checkReads ? result.history() : result.history().withoutReads();
        long t0 = System.nanoTime();
        CheckResult check = new LinearizabilityChecker().check(history);
        Report report = new Report(result, check, List.copyOf(steps),
                Duration.ofNanos(System.nanoTime() - t0));
        System.out.println(report);
        return report;
    }

    private void awaitProgress(RegisterWorkload.Running running, String step, List<String> steps) {
        long from = running.acknowledged();
        long t0 = System.nanoTime();
        try {
            await(step + ": " + progressOps + " more acknowledged operations")
                    .atMost(progressTimeout)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        if (running.finished()) {
                            throw new AssertionError("the workload ended during '" + step
                                    + "': give it more operations or time (" + settings + ")");
                        }
                        return running.acknowledged() >= from + progressOps;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(step + ": no progress (" + (running.acknowledged() - from) + " of "
                    + progressOps + " operations in " + progressTimeout + "); roles " + cluster.roles() + "\n"
                    + cluster.logs(60), e);
        }
        steps.add(step + ": " + progressOps + " ops in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
    }
}
