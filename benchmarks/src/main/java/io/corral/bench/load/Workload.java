package io.corral.bench.load;

/**
 * One kind of load. {@link #prepare} runs once the run's first sessions are open and its root exists: it opens any
 * further sessions and creates the znodes the load needs, and returns the load itself, which the tool runs on a
 * thread of its own. The load reports into the run's {@link Measurement} and counts down its {@code finished}
 * latch when it is over.
 */
interface Workload {
    Runnable prepare() throws Exception;

    /** Sessions to open before {@link #prepare}: the fan-outs and churn open their own. */
    static int initialSessions(LoadSettings settings) {
        return settings.isFanOut() || settings.workload().equals("churn") ? 1 : settings.clients();
    }

    static Workload of(LoadSettings settings, Measurement measurement, LoadSessions sessions, String runId) {
        return switch (settings.workload()) {
            case "create", "set", "get", "mixed" -> new RequestLoad(settings, measurement, sessions, runId);
            case "bulk" -> new BulkCreate(settings, measurement, sessions, runId);
            case "watch" -> new WatchFanOut(settings, measurement, sessions, false);
            case "stream" -> new WatchFanOut(settings, measurement, sessions, true);
            case "churn" -> new SessionChurn(settings, measurement, sessions);
            default -> throw new IllegalStateException(settings.workload());
        };
    }
}
