package io.corral.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end load against any server that speaks the ZooKeeper client protocol, named by a connect string.
 * A progress line goes to stderr every few seconds; one JSON line of results goes to stdout at the end.
 * Every run stops by itself: a watchdog ends the process if a run overruns its time limit.
 *
 * <p>Latencies: in closed loop, from sending a request to its reply. In open loop (--rate), from the time the
 * request was due to be sent by the schedule, so a server that stalls is charged for the requests it delayed
 * (no coordinated omission). Watch fan-out: from sending the write to each watcher's notification. Session
 * churn: from opening a session to its being connected.
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

    private static final int CONNECT_TIMEOUT_MS = 15_000;

    // --- options ---
    private final String connect;
    private final String clientName;
    private final LoadClient.Factory factory;
    private final String workload;
    private final int clients;
    private final int inflight;
    private final double rate;
    private final int maxOutstanding;
    private final long durationNs;
    private final long warmupNs;
    private final byte[] data;
    private final int keys;
    private final int readPct;
    private final int watchers;
    private final long count;
    private final String root;
    private final int progressSec;
    private final int sessionTimeoutMs;
    private final String label;
    private final ServerProcess server;
    private final String runId = Long.toHexString(System.currentTimeMillis() & 0xFFFFFFFFFFL);

    // --- measurement ---
    private final Recorder measured = new Recorder(3);
    private final Recorder interval = new Recorder(3);
    private final LongAdder completedAll = new LongAdder();
    private final LongAdder errorsAll = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicInteger firstError = new AtomicInteger();
    private volatile long runStart;
    private volatile long measureStart = Long.MAX_VALUE;
    private volatile long measureEnd = Long.MAX_VALUE;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Map<String, Object> extra = new LinkedHashMap<>();

    private final List<LoadClient> sessions = new ArrayList<>();
    private String[] keyPaths;

    private LoadTool(Options o) {
        connect = o.string("connect", null);
        if (connect == null) {
            throw new IllegalArgumentException("--connect is required");
        }
        clientName = o.string("client", "zk");
        factory = LoadClient.Factory.named(clientName);
        workload = o.string("workload", "set");
        if (!List.of("create", "set", "get", "mixed", "watch", "stream", "churn", "bulk").contains(workload)) {
            throw new IllegalArgumentException("unknown --workload " + workload);
        }
        clients = o.integer("clients", 4);
        inflight = o.integer("inflight", 16);
        rate = o.decimal("rate", 0);
        maxOutstanding = o.integer("max-outstanding", 10_000);
        durationNs = (long) (o.decimal("duration", 10) * 1e9);
        warmupNs = (long) (o.decimal("warmup", 3) * 1e9);
        data = new byte[o.integer("size", 100)];
        Arrays.fill(data, (byte) 'x');
        keys = o.integer("keys", 1000);
        readPct = o.integer("read-pct", 80);
        watchers = o.integer("watchers", 100);
        count = o.longValue("count", 100_000);
        root = o.string("root", "/corral-bench");
        progressSec = o.integer("progress", 5);
        sessionTimeoutMs = o.integer("session-timeout", 30_000);
        label = o.string("label", null);
        long serverPid = o.longValue("server-pid", 0);
        server = serverPid > 0 ? new ServerProcess(serverPid) : null;
        long defaultLimit = 120 + (long) ((warmupNs + durationNs) / 1e9)
                + (workload.equals("bulk") ? 1800 : 0) + (isFanOut() ? watchers / 20 : 0);
        long limit = o.longValue("time-limit", defaultLimit);
        o.checkAllUsed();
        if (clients < 1 || inflight < 1 || data.length < 0 || keys < 1 || watchers < 1 || count < 1
                || readPct < 0 || readPct > 100 || rate < 0) {
            throw new IllegalArgumentException("options out of range");
        }
        startWatchdog(limit);
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("zookeeper.sasl.client", "false");
        if (Arrays.asList(args).contains("--help") || args.length == 0) {
            System.out.print(USAGE);
            return;
        }
        LoadTool tool;
        try {
            tool = new LoadTool(new Options(args));
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
            tool.closeSessions();
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

    // ------------------------------------------------------------------------------------------------ run

    private Map<String, Object> run() throws Exception {
        runStart = System.nanoTime();
        switch (workload) {
            case "churn" -> connectSessions(1, null);
            case "watch", "stream" -> connectSessions(1, null);
            default -> connectSessions(clients, null);
        }
        ensure(root);
        Runnable load = switch (workload) {
            case "create" -> {
                String parent = root + "/create-" + runId;
                ensure(parent);
                AtomicLong seq = new AtomicLong();
                yield loop((client, cb) -> client.create(parent + "/n" + seq.getAndIncrement(), data, cb));
            }
            case "set" -> {
                createKeys();
                yield loop((client, cb) -> client.setData(randomKey(), data, cb));
            }
            case "get" -> {
                createKeys();
                yield loop((client, cb) -> client.getData(randomKey(), false, cb));
            }
            case "mixed" -> {
                createKeys();
                yield loop((client, cb) -> {
                    if (ThreadLocalRandom.current().nextInt(100) < readPct) {
                        client.getData(randomKey(), false, cb);
                    } else {
                        client.setData(randomKey(), data, cb);
                    }
                });
            }
            case "watch" -> watchFanOut();
            case "stream" -> streamFanOut();
            case "churn" -> this::churn;
            case "bulk" -> bulk();
            default -> throw new IllegalStateException(workload);
        };

        boolean bulk = workload.equals("bulk");
        Thread progress = startProgress();
        long begin = System.nanoTime();
        measureStart = bulk ? begin : begin + warmupNs;
        measureEnd = bulk ? Long.MAX_VALUE : measureStart + durationNs;
        Thread runner = new Thread(load, "corral-bench-load");
        runner.setDaemon(true);
        runner.start();

        long cpuStart;
        long wallStart;
        if (!bulk) {
            sleepUntil(measureStart);
        }
        ServerProcess.Sample serverStart = server == null ? null : server.sample();
        cpuStart = processCpuNanos();
        wallStart = System.nanoTime();
        if (bulk) {
            finished.await();
        } else {
            sleepUntil(measureEnd);
        }
        long cpuEnd = processCpuNanos();
        long wallEnd = System.nanoTime();
        ServerProcess.Sample serverEnd = server == null ? null : server.sample();
        if (bulk) {
            measureEnd = wallEnd;
        }
        // let in-flight requests finish (they are not counted), bounded
        if (!finished.await(30, TimeUnit.SECONDS)) {
            System.err.println("corral-bench: " + outstanding.get() + " requests still unanswered 30 s after the end");
        }
        progress.interrupt();
        Map<String, Object> r = result(wallEnd - wallStart, cpuEnd - cpuStart);
        if (server != null) {
            r.putAll(ServerProcess.figures(serverStart, serverEnd, completed.sum(), wallEnd - wallStart));
        }
        return r;
    }

    private Map<String, Object> result(long wallNs, long cpuNs) {
        Histogram h = measured.getIntervalHistogram();
        double seconds = wallNs / 1e9;
        long ops = completed.sum();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tool", "corral-bench");
        if (label != null) {
            r.put("label", label);
        }
        r.put("client", clientName);
        r.put("connect", connect);
        r.put("workload", workload);
        r.put("mode", rate > 0 && isRequestLoop() ? "open" : "closed");
        r.put("clients", isFanOut() ? 1 : clients);
        if (isRequestLoop() || workload.equals("bulk")) {
            if (rate > 0 && isRequestLoop()) {
                r.put("rate", rate);
            } else {
                r.put("inflight", inflight);
            }
        }
        r.put("sizeBytes", data.length);
        r.put("seconds", seconds);
        r.put("ops", ops);
        r.put("errors", errors.sum());
        if (firstError.get() != 0) {
            r.put("firstErrorCode", firstError.get());
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
        r.putAll(extra);
        return r;
    }

    private boolean isFanOut() {
        return workload.equals("watch") || workload.equals("stream");
    }

    private boolean isRequestLoop() {
        return List.of("create", "set", "get", "mixed").contains(workload);
    }

    // ------------------------------------------------------------------------------------------------ setup

    private void connectSessions(int n, LoadClient.WatchListener listener) throws Exception {
        sessions.addAll(connectMany(n, i -> listener));
    }

    private interface ListenerFor {
        LoadClient.WatchListener of(int index);
    }

    private List<LoadClient> connectMany(int n, ListenerFor listeners) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 16));
        try {
            List<Future<LoadClient>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> factory.connect(connect, sessionTimeoutMs, CONNECT_TIMEOUT_MS,
                        listeners.of(index))));
            }
            List<LoadClient> result = new ArrayList<>();
            Exception failure = null;
            for (Future<LoadClient> f : futures) {
                try {
                    result.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    failure = e.getCause() instanceof Exception ex ? ex : e;
                }
            }
            if (failure != null) {
                result.forEach(LoadClient::close);
                throw failure;
            }
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    private void closeSessions() {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (LoadClient c : sessions) {
            pool.submit(c::close);
        }
        pool.shutdown();
        try {
            pool.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Creates a node if missing (synchronously, bounded). */
    private void ensure(String path) throws Exception {
        AtomicInteger rc = new AtomicInteger(1);
        CountDownLatch done = new CountDownLatch(1);
        sessions.get(0).create(path, new byte[0], r -> {
            rc.set(r);
            done.countDown();
        });
        if (!done.await(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("create " + path + " timed out");
        }
        if (rc.get() != LoadClient.OK && rc.get() != LoadClient.NODE_EXISTS) {
            throw new IllegalStateException("create " + path + " failed with error " + rc.get());
        }
    }

    /** The znodes set/get/mixed address: created (or overwritten) with --size bytes, pipelined. */
    private void createKeys() throws Exception {
        String parent = root + "/keys";
        ensure(parent);
        keyPaths = new String[keys];
        Semaphore window = new Semaphore(500);
        CountDownLatch done = new CountDownLatch(keys);
        AtomicInteger failed = new AtomicInteger();
        LoadClient c = sessions.get(0);
        for (int i = 0; i < keys; i++) {
            String path = parent + "/k" + i;
            keyPaths[i] = path;
            window.acquire();
            c.create(path, data, rc -> {
                if (rc == LoadClient.NODE_EXISTS) {
                    c.setData(path, data, rc2 -> {
                        if (rc2 != LoadClient.OK) {
                            failed.incrementAndGet();
                        }
                        window.release();
                        done.countDown();
                    });
                    return;
                }
                if (rc != LoadClient.OK) {
                    failed.incrementAndGet();
                }
                window.release();
                done.countDown();
            });
        }
        if (!done.await(120, TimeUnit.SECONDS) || failed.get() > 0) {
            throw new IllegalStateException("could not create the " + keys + " keys (" + failed.get() + " failed)");
        }
    }

    private String randomKey() {
        return keyPaths[ThreadLocalRandom.current().nextInt(keyPaths.length)];
    }

    // ------------------------------------------------------------------------------------------------ loops

    private interface Op {
        void issue(LoadClient client, LoadClient.Callback callback);
    }

    private void complete(long since, int rc) {
        long now = System.nanoTime();
        long latency = Math.max(0, now - since);
        completedAll.increment();
        boolean inWindow = now >= measureStart && now < measureEnd;
        if (rc != LoadClient.OK) {
            errorsAll.increment();
            firstError.compareAndSet(0, rc);
            if (inWindow) {
                errors.increment();
            }
            return;
        }
        interval.recordValue(latency);
        if (inWindow) {
            measured.recordValue(latency);
            completed.increment();
        }
    }

    private Runnable loop(Op op) {
        return rate > 0 ? () -> openLoop(op) : () -> closedLoop(op);
    }

    /** Each session keeps --inflight requests outstanding until the end. */
    private void closedLoop(Op op) {
        outstanding.set((long) clients * inflight);
        for (LoadClient client : sessions) {
            for (int k = 0; k < inflight; k++) {
                issueClosed(client, op);
            }
        }
    }

    private void issueClosed(LoadClient client, Op op) {
        long start = System.nanoTime();
        if (start >= measureEnd) {
            if (outstanding.decrementAndGet() == 0) {
                finished.countDown();
            }
            return;
        }
        op.issue(client, rc -> {
            complete(start, rc);
            issueClosed(client, op);
        });
    }

    /** Requests at fixed intended times, round-robin over the sessions; latency from the intended time. */
    private void openLoop(Op op) {
        long base = System.nanoTime();
        double periodNs = 1e9 / rate;
        outstanding.set(1); // the pacer itself, until it stops
        for (long i = 0; ; i++) {
            long intended = base + (long) (i * periodNs);
            if (intended >= measureEnd) {
                break;
            }
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                if (wait > 60_000) {
                    LockSupport.parkNanos(wait - 50_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            while (outstanding.get() > maxOutstanding) {
                LockSupport.parkNanos(20_000);
            }
            outstanding.incrementAndGet();
            LoadClient client = sessions.get((int) (i % sessions.size()));
            op.issue(client, rc -> {
                complete(intended, rc);
                if (outstanding.decrementAndGet() == 0) {
                    finished.countDown();
                }
            });
        }
        if (outstanding.decrementAndGet() == 0) {
            finished.countDown();
        }
    }

    /** Creates --count znodes with --clients x --inflight in flight; the run ends when all are answered. */
    private Runnable bulk() throws Exception {
        String parent = root + "/bulk-" + runId;
        ensure(parent);
        extra.put("count", count);
        extra.put("parent", parent);
        AtomicLong next = new AtomicLong();
        outstanding.set((long) clients * inflight);
        return () -> {
            for (LoadClient client : sessions) {
                for (int k = 0; k < inflight; k++) {
                    issueBulk(client, parent, next);
                }
            }
        };
    }

    private void issueBulk(LoadClient client, String parent, AtomicLong next) {
        long i = next.getAndIncrement();
        if (i >= count) {
            if (outstanding.decrementAndGet() == 0) {
                finished.countDown();
            }
            return;
        }
        long start = System.nanoTime();
        client.create(parent + "/n" + i, data, rc -> {
            complete(start, rc);
            issueBulk(client, parent, next);
        });
    }

    /**
     * N sessions watch one znode (getData with watch); one writer sets it; each notification's latency is counted
     * from the write's send time; every watcher re-arms, and the next write goes once all have. Closed loop in
     * rounds.
     */
    private Runnable watchFanOut() throws Exception {
        FanOut fanOut = new FanOut("watch");
        LoadClient[] watching = new LoadClient[watchers];
        LoadClient.Callback onArmed = rc -> {
            countError(rc);
            fanOut.received();
        };
        System.err.printf(Locale.ROOT, "corral-bench: connecting %d watcher sessions%n", watchers);
        List<LoadClient> connected = connectMany(watchers, index -> path -> {
            fanOut.eventArrived();
            watching[index].getData(fanOut.node, true, onArmed);
        });
        sessions.addAll(connected);
        for (int i = 0; i < watchers; i++) {
            watching[i] = connected.get(i);
        }
        for (LoadClient w : watching) {
            w.getData(fanOut.node, true, onArmed);
        }
        if (!fanOut.roundDone.get().await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("watchers did not arm within 60 s");
        }
        return fanOut.rounds("notifications");
    }

    /**
     * N sessions hold a persistent watch on one znode (set once, never re-armed: a watch stream); one writer sets
     * it; each delivery's latency is counted from the write's send time; the next write goes once every session
     * has its event. Closed loop in rounds.
     */
    private Runnable streamFanOut() throws Exception {
        FanOut fanOut = new FanOut("stream");
        System.err.printf(Locale.ROOT, "corral-bench: connecting %d stream sessions%n", watchers);
        List<LoadClient> connected = connectMany(watchers, index -> path -> {
            fanOut.eventArrived();
            fanOut.received();
        });
        sessions.addAll(connected);
        CountDownLatch registered = new CountDownLatch(watchers);
        for (LoadClient s : connected) {
            s.watchNode(fanOut.node, rc -> {
                countError(rc);
                registered.countDown();
            });
        }
        if (!registered.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("stream watches not registered within 60 s");
        }
        return fanOut.rounds("stream events");
    }

    /**
     * The shared part of the watch and stream fan-outs: one znode, one writer (the first session), and in each
     * round the count of watchers that have what the round waits for; the round ends when every watcher has it.
     */
    private final class FanOut {
        final String node;
        final LoadClient writer = sessions.get(0);
        final AtomicLong roundStart = new AtomicLong();
        final AtomicInteger received = new AtomicInteger();
        final AtomicReference<CountDownLatch> roundDone = new AtomicReference<>(new CountDownLatch(1));

        FanOut(String name) throws Exception {
            node = root + "/" + name;
            ensure(node);
        }

        /** A watcher's event: its latency counts from the current round's write. */
        void eventArrived() {
            complete(roundStart.get(), LoadClient.OK);
        }

        /** One more watcher is done with this round; the last one ends it. */
        void received() {
            if (received.incrementAndGet() == watchers) {
                roundDone.get().countDown();
            }
        }

        /** The measured part: rounds of one write and every watcher's event, until the end. */
        Runnable rounds(String events) {
            extra.put("watchers", watchers);
            AtomicLong rounds = new AtomicLong();
            return () -> {
                try {
                    while (System.nanoTime() < measureEnd) {
                        CountDownLatch latch = new CountDownLatch(1);
                        roundDone.set(latch);
                        received.set(0);
                        long start = System.nanoTime();
                        roundStart.set(start);
                        writer.setData(node, data, LoadTool.this::countError);
                        if (!latch.await(30, TimeUnit.SECONDS)) {
                            System.err.println("corral-bench: a round of " + events + " did not complete in 30 s");
                            errors.add(watchers - received.get());
                            break;
                        }
                        if (start >= measureStart) {
                            rounds.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    extra.put("rounds", rounds.get());
                    finished.countDown();
                }
            };
        }
    }

    /** Counts a failed request outside the latency figures (arming a watch, a fan-out write). */
    private void countError(int rc) {
        if (rc != LoadClient.OK) {
            errorsAll.increment();
            firstError.compareAndSet(0, rc);
        }
    }

    /**
     * --clients threads each open a session, wait until it is connected, and hand it to a pool that closes it
     * (the official client spends about 100 ms of its own in close(), which would otherwise cap the rate), until
     * the end. At most 64 closes are pending. Throughput is sessions opened per second; latency is open-to-
     * connected; meanCloseUs is what close() took.
     */
    private void churn() {
        AtomicLong cycles = new AtomicLong();
        LongAdder closeNanos = new LongAdder();
        Semaphore pendingCloses = new Semaphore(64);
        ExecutorService closer = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "corral-bench-closer");
            t.setDaemon(true);
            return t;
        });
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < measureEnd) {
                    long start = System.nanoTime();
                    try {
                        pendingCloses.acquire();
                        LoadClient c;
                        try {
                            c = factory.connect(connect, sessionTimeoutMs, CONNECT_TIMEOUT_MS, null);
                        } catch (Exception e) {
                            pendingCloses.release();
                            throw e;
                        }
                        complete(start, LoadClient.OK);
                        closer.execute(() -> {
                            long closeStart = System.nanoTime();
                            c.close();
                            long closed = System.nanoTime();
                            pendingCloses.release();
                            if (start >= measureStart && closed < measureEnd) {
                                cycles.incrementAndGet();
                                closeNanos.add(closed - closeStart);
                            }
                        });
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        complete(start, -4); // CONNECTIONLOSS
                        LockSupport.parkNanos(10_000_000);
                    }
                }
            }, "corral-bench-churn-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        closer.shutdown();
        try {
            closer.awaitTermination(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        extra.put("openCloseCycles", cycles.get());
        extra.put("meanCloseUs", cycles.get() == 0 ? null : closeNanos.sum() / 1e3 / cycles.get());
        finished.countDown();
    }

    // ------------------------------------------------------------------------------------------------ progress

    private Thread startProgress() {
        Thread t = new Thread(() -> {
            if (progressSec <= 0) {
                return;
            }
            long last = System.nanoTime();
            long lastCpu = processCpuNanos();
            long lastCount = completedAll.sum();
            Histogram h = null;
            try {
                while (true) {
                    Thread.sleep(progressSec * 1000L);
                    long now = System.nanoTime();
                    long cpu = processCpuNanos();
                    long c = completedAll.sum();
                    h = interval.getIntervalHistogram(h);
                    String phase = now < measureStart ? "warmup" : now < measureEnd ? "measure" : "drain";
                    System.err.printf(Locale.ROOT,
                            "corral-bench [%6.1fs] %-7s %-6s ops/s=%9.0f p50=%8.2fms p99=%8.2fms max=%8.2fms "
                                    + "inflight=%d errors=%d cpu=%.0f%%%n",
                            (now - runStart) / 1e9, phase, workload, (c - lastCount) / ((now - last) / 1e9),
                            h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                            h.getMaxValue() / 1e6, outstanding.get(), errorsAll.sum(),
                            100.0 * (cpu - lastCpu) / (now - last));
                    last = now;
                    lastCpu = cpu;
                    lastCount = c;
                }
            } catch (InterruptedException e) {
                // done
            }
        }, "corral-bench-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long wait;
        while ((wait = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(wait, 100_000_000));
        }
    }
}
