package io.corral.bench.load;

import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end load against any server that speaks the ZooKeeper client protocol, named by a connect string.
 * A progress line goes to stderr every few seconds; one JSON line of results goes to stdout at the end.
 * Every run stops by itself: a watchdog ends the process if a run overruns its time limit.
 *
 * <p>Latencies: in closed loop, from sending a request to its reply. In open loop (--rate), from the time the
 * request was due to be sent by the schedule, so a server that stalls is charged for the requests it delayed
 * (no coordinated omission). Watch fan-out: from sending the write to each watcher's notification. Session
 * churn: from opening a session to its being connected.
 *
 * <p>The workloads are {@link Workload}s; this class parses the options, opens the first sessions, runs the load
 * through its warm-up and measured window, and writes the result.
 */
public final class LoadTool {
    static final String USAGE = """
            usage: corral-bench --connect HOST:PORT[,HOST:PORT...] [options]
              --workload W       create | set | get | mixed | watch | stream | churn | bulk (default set)
              --client zk        client library: zk (the official Apache ZooKeeper client) or corral
                                 (Corral's reactive client, leaner per request)            (default zk)
              --clients C        sessions issuing requests                                   (default 4)
              --inflight K       closed loop: requests in flight per session                 (default 16)
              --rate R           open loop: R requests per second in total, spread over the sessions;
                                 latency counted from each request's scheduled send time
              --max-outstanding M open loop: cap on requests in flight (then sending waits)   (default 10000)
              --duration S       measured seconds                                            (default 10)
              --warmup S         seconds of load before measuring                            (default 3)
              --size B           data bytes per znode for create/set/bulk/keys               (default 100)
              --keys N           znodes that set/get/mixed address at random                 (default 1000)
              --read-pct P       mixed: percentage of getData, the rest setData              (default 80)
              --watchers N       watch: sessions watching one znode; one writer sets it      (default 100)
                                 stream: the same with a persistent watch per session (addWatch;
                                 Corral's client: a watch(path, NODE) stream), never re-armed
              --count N          bulk: znodes to create (then the run ends)                  (default 100000)
              --root PATH        parent of everything the tool creates                       (default /corral-bench)
              --progress S       seconds between progress lines on stderr, 0 = none          (default 5)
              --session-timeout MS                                                           (default 30000)
              --time-limit S     hard limit for the whole run (default: setup + warmup + duration + 120)
              --label TEXT       copied into the JSON result
              --server-pid PID   a server process on this machine: its CPU time, context switches and busiest
                                 threads over the measured window, per request (serverCpuUsPerOp, ...)
            """;

    private final LoadSettings settings;
    private final Measurement m = new Measurement();
    private final LoadSessions sessions;
    private final ServerProcess server;
    private final String runId = Long.toHexString(System.currentTimeMillis() & 0xFFFFFFFFFFL);

    private LoadTool(LoadSettings settings) {
        this.settings = settings;
        this.sessions = new LoadSessions(settings);
        this.server = settings.serverPid() > 0 ? new ServerProcess(settings.serverPid()) : null;
        startWatchdog(settings.timeLimitSeconds());
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("zookeeper.sasl.client", "false");
        if (Arrays.asList(args).contains("--help") || args.length == 0) {
            System.out.print(USAGE);
            return;
        }
        LoadTool tool;
        try {
            tool = new LoadTool(LoadSettings.parse(new Options(args)));
        } catch (IllegalArgumentException e) {
            System.err.println("corral-bench: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        int status = 0;
        try {
            Map<String, Object> result = tool.run();
            System.out.println(Json.write(result));
            System.out.flush();
        } catch (Exception e) {
            System.err.println("corral-bench: run failed: " + e);
            e.printStackTrace();
            status = 1;
        } finally {
            tool.sessions.closeAll();
        }
        System.exit(status);
    }

    private static void startWatchdog(long limitSeconds) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(limitSeconds));
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("corral-bench: time limit of " + limitSeconds + " s exceeded; stopping");
            Runtime.getRuntime().halt(3);
        }, "corral-bench-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private Map<String, Object> run() throws Exception {
        m.runStart = System.nanoTime();
        sessions.connect(Workload.initialSessions(settings), index -> null);
        sessions.ensure(settings.root());
        Runnable load = Workload.of(new LoadRun(settings, m, sessions, runId)).prepare();

        boolean bulk = settings.isBulk();
        Thread progress = Progress.start(m, settings.workload(), settings.progressSec());
        long begin = System.nanoTime();
        m.measureStart = bulk ? begin : begin + settings.warmupNs();
        m.measureEnd = bulk ? Long.MAX_VALUE : m.measureStart + settings.durationNs();
        Thread runner = new Thread(load, "corral-bench-load");
        runner.setDaemon(true);
        runner.start();

        if (!bulk) {
            sleepUntil(m.measureStart);
        }
        ServerProcess.Sample serverStart = server == null ? null : server.sample();
        long cpuStart = Progress.processCpuNanos();
        long wallStart = System.nanoTime();
        if (bulk) {
            m.finished.await();
        } else {
            sleepUntil(m.measureEnd);
        }
        long cpuEnd = Progress.processCpuNanos();
        long wallEnd = System.nanoTime();
        ServerProcess.Sample serverEnd = server == null ? null : server.sample();
        if (bulk) {
            m.measureEnd = wallEnd;
        }
        // let in-flight requests finish (they are not counted), bounded
        if (!m.finished.await(30, TimeUnit.SECONDS)) {
            System.err.println("corral-bench: " + m.outstanding.get() + " requests still unanswered 30 s after the end");
        }
        progress.interrupt();
        Map<String, Object> r = result(wallEnd - wallStart, cpuEnd - cpuStart);
        if (server != null) {
            r.putAll(ServerProcess.figures(serverStart, serverEnd, m.completed.sum(), wallEnd - wallStart));
        }
        return r;
    }

    private Map<String, Object> result(long wallNs, long cpuNs) {
        Histogram h = m.measured.getIntervalHistogram();
        double seconds = wallNs / 1e9;
        long ops = m.completed.sum();
        boolean requestLoop = settings.isRequestLoop();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tool", "corral-bench");
        if (settings.label() != null) {
            r.put("label", settings.label());
        }
        r.put("client", settings.clientName());
        r.put("connect", settings.connect());
        r.put("workload", settings.workload());
        r.put("mode", settings.rate() > 0 && requestLoop ? "open" : "closed");
        r.put("clients", settings.isFanOut() ? 1 : settings.clients());
        if (requestLoop || settings.isBulk()) {
            if (settings.rate() > 0 && requestLoop) {
                r.put("rate", settings.rate());
            } else {
                r.put("inflight", settings.inflight());
            }
        }
        r.put("sizeBytes", settings.data().length);
        r.put("seconds", seconds);
        r.put("ops", ops);
        r.put("errors", m.errors.sum());
        if (m.firstError.get() != 0) {
            r.put("firstErrorCode", m.firstError.get());
        }
        r.put("throughput", ops / seconds);
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("count", h.getTotalCount());
        lat.put("mean", h.getMean() / 1e3);
        lat.put("p50", h.getValueAtPercentile(50) / 1e3);
        lat.put("p90", h.getValueAtPercentile(90) / 1e3);
        lat.put("p99", h.getValueAtPercentile(99) / 1e3);
        lat.put("p999", h.getValueAtPercentile(99.9) / 1e3);
        lat.put("max", h.getMaxValue() / 1e3);
        r.put("latencyUs", lat);
        r.put("clientCpuSeconds", cpuNs / 1e9);
        r.put("clientCpuPctOfOneCore", 100.0 * cpuNs / wallNs);
        r.put("clientCpuUsPerOp", ops == 0 ? null : cpuNs / 1e3 / ops);
        r.put("cores", Runtime.getRuntime().availableProcessors());
        r.putAll(m.extra);
        return r;
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long wait;
        while ((wait = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(wait, 100_000_000));
        }
    }
}
