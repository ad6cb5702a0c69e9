package io.corral.bench.load;

/**
 * One kind of load. {@link #prepare} runs once the run's first sessions are open and its root exists: it opens any
 * further sessions and creates the znodes the load needs, and returns the load itself, which the tool runs on a
 * thread of its own. The load reports into the run's {@link Measurement} and counts down its {@code finished}
 * latch when it is over.
 */
abstract class Workload {
    final LoadSettings settings;
    final Measurement m;
    final LoadSessions sessions;
    final String runId;

    Workload(LoadRun run) {
        this.settings = run.settings();
        this.m = run.m();
        this.sessions = run.sessions();
        this.runId = run.runId();
    }

    abstract Runnable prepare() throws Exception;

    /** Sessions to open before {@link #prepare}: the fan-outs and churn open their own. */
    static int initialSessions(LoadSettings settings) {
        return settings.isFanOut() || settings.workload().equals("churn") ? 1 : settings.clients();
    }

    static Workload of(LoadRun run) {
        return switch (run.settings().workload()) {
            case "create", "set", "get", "mixed" -> new RequestLoad(run);
            case "bulk" -> new BulkCreate(run);
            case "watch" -> new WatchFanOut(run, false);
            case "stream" -> new WatchFanOut(run, true);
            case "churn" -> new SessionChurn(run);
            default -> throw new IllegalStateException(run.settings().workload());
        };
    }
}
