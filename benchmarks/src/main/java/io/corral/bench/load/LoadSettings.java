package io.corral.bench.load;

import java.util.Arrays;
import java.util.List;

/** The load tool's options, parsed and checked once (see {@link LoadTool#USAGE}). */
record LoadSettings(String connect, String clientName, LoadClient.Factory factory, String workload, int clients,
                    int inflight, double rate, int maxOutstanding, long durationNs, long warmupNs, byte[] data,
                    int keys, int readPct, int watchers, long count, String root, int progressSec,
                    int sessionTimeoutMs, String label, long serverPid, long timeLimitSeconds) {
    static final List<String> WORKLOADS = List.of("create", "set", "get", "mixed", "watch", "stream", "churn", "bulk");

    static LoadSettings parse(Options o) {
        String connect = o.string("connect", null);
        if (connect == null) {
            throw new IllegalArgumentException("--connect is required");
        }
        String clientName = o.string("client", "zk");
        String workload = o.string("workload", "set");
        if (!WORKLOADS.contains(workload)) {
            throw new IllegalArgumentException("unknown --workload " + workload);
        }
        int clients = o.integer("clients", 4);
        int inflight = o.integer("inflight", 16);
        double rate = o.decimal("rate", 0);
        int maxOutstanding = o.integer("max-outstanding", 10_000);
        long durationNs = (long) (o.decimal("duration", 10) * 1e9);
        long warmupNs = (long) (o.decimal("warmup", 3) * 1e9);
        byte[] data = new byte[o.integer("size", 100)];
        Arrays.fill(data, (byte) 'x');
        int keys = o.integer("keys", 1000);
        int readPct = o.integer("read-pct", 80);
        int watchers = o.integer("watchers", 100);
        long count = o.longValue("count", 100_000);
        String root = o.string("root", "/corral-bench");
        int progressSec = o.integer("progress", 5);
        int sessionTimeoutMs = o.integer("session-timeout", 30_000);
        String label = o.string("label", null);
        long serverPid = o.longValue("server-pid", 0);
        long defaultLimit = 120 + (warmupNs + durationNs) / 1_000_000_000L
                + (workload.equals("bulk") ? 1800 : 0) + (isFanOut(workload) ? watchers / 20 : 0);
        long limit = o.longValue("time-limit", defaultLimit);
        o.checkAllUsed();
        if (clients < 1 || inflight < 1 || keys < 1 || watchers < 1 || count < 1
                || readPct < 0 || readPct > 100 || rate < 0) {
            throw new IllegalArgumentException("options out of range");
        }
        return new LoadSettings(connect, clientName, LoadClient.Factory.named(clientName), workload, clients,
                inflight, rate, maxOutstanding, durationNs, warmupNs, data, keys, readPct, watchers, count, root,
                progressSec, sessionTimeoutMs, label, serverPid, limit);
    }

    /** One znode watched by many sessions, one writer. */
    boolean isFanOut() {
        return isFanOut(workload);
    }

    private static boolean isFanOut(String workload) {
        return workload.equals("watch") || workload.equals("stream");
    }

    /** Requests issued in a closed or an open loop (--inflight or --rate). */
    boolean isRequestLoop() {
        return List.of("create", "set", "get", "mixed").contains(workload);
    }

    boolean isBulk() {
        return workload.equals("bulk");
    }
}
