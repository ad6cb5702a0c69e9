package io.corral.server.ensemble;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

import io.corral.server.compat.ZkClients;
import io.corral.server.ensemble.RegisterOp.Kind;
import io.corral.server.ensemble.RegisterOp.Outcome;

/**
 * A bounded register workload through the official ZooKeeper client: {@code keys} znodes under a fresh root, each
 * holding "init" at version 0; {@code clients} sessions, each driven by its own thread with at most
 * {@code inFlightPerClient} asynchronous requests outstanding, issue random getData, setData (version -1) and
 * conditional setData (the last version that client saw) with unique values, until {@code maxOps} operations were
 * issued or {@code maxDuration} passed, whichever comes first. Every operation goes through a {@link HistoryRecorder}.
 *
 * <p>While a client is disconnected it issues nothing (its requests would only fail at once), so the operations of
 * unknown outcome are essentially those in flight when a connection broke. A session that expires is replaced by a
 * new one.
 */
public final class RegisterWorkload {

    /**
     * What to run.
     *
     * @param readPercent       share of getData
     * @param casPercent        share of conditional setData; the rest is unconditional setData
     * @param pacing            pause between two requests of one client (zero: as fast as the window allows)
     * @param sessionTimeoutMs  requested session timeout
     * @param syncedReads       each read is a sync followed by the getData (Corral's linearizable read)
     */
    public record Settings(String root, int keys, int clients, int inFlightPerClient, int maxOps,
            Duration maxDuration, int readPercent, int casPercent, Duration pacing, int sessionTimeoutMs, long seed,
            boolean syncedReads) {

        public Settings {
            if (keys < 1 || clients < 1 || inFlightPerClient < 1 || maxOps < 1) {
                throw new IllegalArgumentException("keys, clients, inFlightPerClient and maxOps must be positive");
            }
            if (readPercent < 0 || casPercent < 0 || readPercent + casPercent > 100) {
                throw new IllegalArgumentException("readPercent + casPercent must be within 0..100");
            }
        }

        /** 3 keys, 4 clients with 2 requests in flight each, 2000 operations or 10 s, 40% reads, 30% cas. */
        public static Settings defaults(long seed) {
            return new Settings("/registers", 3, 4, 2, 2_000, Duration.ofSeconds(10), 40, 30, Duration.ZERO, 6_000,
                    seed, false);
        }

        public Settings withKeys(int k) {
            return new Settings(root, k, clients, inFlightPerClient, maxOps, maxDuration, readPercent, casPercent,
                    pacing, sessionTimeoutMs, seed, syncedReads);
        }

        public Settings withClients(int c) {
            return new Settings(root, keys, c, inFlightPerClient, maxOps, maxDuration, readPercent, casPercent,
                    pacing, sessionTimeoutMs, seed, syncedReads);
        }

        public Settings withLimits(int ops, Duration duration) {
            return new Settings(root, keys, clients, inFlightPerClient, ops, duration, readPercent, casPercent,
                    pacing, sessionTimeoutMs, seed, syncedReads);
        }

        public Settings withPacing(Duration p) {
            return new Settings(root, keys, clients, inFlightPerClient, maxOps, maxDuration, readPercent, casPercent,
                    p, sessionTimeoutMs, seed, syncedReads);
        }

        public Settings withSessionTimeout(int ms) {
            return new Settings(root, keys, clients, inFlightPerClient, maxOps, maxDuration, readPercent, casPercent,
                    pacing, ms, seed, syncedReads);
        }

        /** Reads as sync + getData, pipelined on the session (its FIFO order makes the getData follow the sync). */
        public Settings withSyncedReads() {
            return new Settings(root, keys, clients, inFlightPerClient, maxOps, maxDuration, readPercent, casPercent,
                    pacing, sessionTimeoutMs, seed, true);
        }
    }

    /**
     * How a run ended.
     *
     * @param unexpected results that are neither success, a definite register failure nor a lost connection
     *                   (recorded as unknown outcome; a test usually wants none); at most 100 kept
     */
    public record Result(History history, long acknowledged, long unknown, long sessionsReplaced,
            List<String> unexpected, Duration elapsed) {

        public String summary() {
            return history.ops().size() + " operations in " + elapsed.toMillis() + " ms: " + acknowledged
                    + " answered, " + unknown + " of unknown outcome, " + sessionsReplaced
                    + " sessions replaced, " + unexpected.size() + " unexpected results";
        }
    }

    private static final int MAX_UNEXPECTED = 100;
    private static final String INITIAL = "init";

    private final String connectString;
    private final Settings settings;

    public RegisterWorkload(String connectString, Settings settings) {
        this.connectString = connectString;
        this.settings = settings;
    }

    /** Creates the registers (this part must succeed) and starts the client threads; returns at once. */
    public Running start() throws KeeperException, InterruptedException {
        HistoryRecorder recorder = new HistoryRecorder(settings.maxOps());
        List<String> paths = new ArrayList<>();
        String root = settings.root() + "-" + Long.toHexString(settings.seed()) + "-"
                + Long.toHexString(System.nanoTime());
        ZooKeeper setup = ZkClients.connect(connectString, settings.sessionTimeoutMs(), null);
        try {
            setup.create(root, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (int k = 0; k < settings.keys(); k++) {
                String path = root + "/k" + k;
                setup.create(path, utf8(INITIAL), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                recorder.initial(path, INITIAL);
                paths.add(path);
            }
        } finally {
            setup.close();
        }
        Running running = new Running(recorder, List.copyOf(paths));
        running.begin();
        return running;
    }

    /** A workload in progress. */
    public final class Running {
        private final HistoryRecorder recorder;
        private final List<String> paths;
        private final AtomicInteger issued = new AtomicInteger();
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicLong sessionsReplaced = new AtomicLong();
        private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        private final AtomicInteger unexpectedCount = new AtomicInteger();
        private final List<Thread> drivers = new ArrayList<>();
        private volatile boolean stopRequested;
        private long startNanos;
        private long deadlineNanos;

        private Running(HistoryRecorder recorder, List<String> paths) {
            this.recorder = recorder;
            this.paths = paths;
        }

        private void begin() {
            startNanos = System.nanoTime();
            deadlineNanos = startNanos + settings.maxDuration().toNanos();
            for (int c = 0; c < settings.clients(); c++) {
                Driver driver = new Driver(c, new Random(settings.seed() * 1_000_003L + c));
                Thread t = new Thread(driver::run, "register-workload-client-" + c);
                t.setDaemon(true);
                drivers.add(t);
                t.start();
            }
        }

        /** The register paths. */
        public List<String> paths() {
            return paths;
        }

        /** Operations answered so far (success or definite failure): for waiting until load is flowing. */
        public long acknowledged() {
            return acknowledged.get();
        }

        /** True once every client thread has ended (the operation budget or the time is used up, or stopped). */
        public boolean finished() {
            return drivers.stream().noneMatch(Thread::isAlive);
        }

        /** Asks the clients to stop issuing; {@link #await} still collects what is in flight. */
        public void stop() {
            stopRequested = true;
        }

        /** Waits for every client to finish (requests in flight answered or given up) and returns the history. */
        public Result await(Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            for (Thread t : drivers) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
                if (t.isAlive()) {
                    stop();
                    throw new AssertionError(t.getName() + " still running after " + timeout);
                }
            }
            History history = recorder.history();
            long lost = history.ops().stream().filter(RegisterOp::unknown).count();
            return new Result(history, acknowledged.get(), lost, sessionsReplaced.get(),
                    List.copyOf(unexpected), Duration.ofNanos(System.nanoTime() - startNanos));
        }

        private boolean keepGoing() {
            return !stopRequested && System.nanoTime() < deadlineNanos;
        }

        private void noteUnexpected(String what) {
            if (unexpectedCount.incrementAndGet() <= MAX_UNEXPECTED) {
                unexpected.add(what);
            }
        }

        /** One client: its session, its window of requests in flight, what it last saw of each register. */
        private final class Driver {
            private final int id;
            private final Random random;
            private final Semaphore window = new Semaphore(settings.inFlightPerClient());
            private final AtomicIntegerArray lastSeenVersion = new AtomicIntegerArray(paths.size());
            private final Object connectionChanged = new Object();
            private volatile boolean connected;
            private volatile boolean expired;
            private int sequence;

            Driver(int id, Random random) {
                this.id = id;
                this.random = random;
            }

            void run() {
                ZooKeeper zk = null;
                try {
                    zk = newSession();
                    while (keepGoing()) {
                        if (expired) {
                            awaitWindowEmpty();
                            closeQuietly(zk);
                            zk = newSession();
                            sessionsReplaced.incrementAndGet();
                        }
                        if (!awaitConnected() || !window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                        if (issued.getAndIncrement() >= settings.maxOps()) {
                            window.release();
                            break;
                        }
                        issueOne(zk);
                        if (!settings.pacing().isZero()) {
                            LockSupport.parkNanos(settings.pacing().toNanos()); // load pacing, not a wait
                        }
                    }
                    awaitWindowEmpty();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    closeQuietly(zk);
                }
            }

            private ZooKeeper newSession() {
                connected = false;
                expired = false;
                try {
                    return new ZooKeeper(connectString, settings.sessionTimeoutMs(), this::onEvent);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot create a ZooKeeper client for " + connectString, e);
                }
            }

            private void onEvent(WatchedEvent event) {
                KeeperState state = event.getState();
                synchronized (connectionChanged) {
                    connected = state == KeeperState.SyncConnected;
                    if (state == KeeperState.Expired || state == KeeperState.AuthFailed) {
                        expired = true;
                    }
                    connectionChanged.notifyAll();
                }
            }

            /** Waits a little for the session to be connected; false if it is not (yet). */
            private boolean awaitConnected() throws InterruptedException {
                synchronized (connectionChanged) {
                    if (!connected && !expired) {
                        connectionChanged.wait(100);
                    }
                    return connected && !expired;
                }
            }

            /** Every request in flight answered (the client fails them all at the latest when the session ends). */
            private void awaitWindowEmpty() throws InterruptedException {
                long limit = settings.sessionTimeoutMs() * 3L;
                if (window.tryAcquire(settings.inFlightPerClient(), limit, TimeUnit.MILLISECONDS)) {
                    window.release(settings.inFlightPerClient());
                }
            }

            private void issueOne(ZooKeeper zk) {
                int k = random.nextInt(paths.size());
                String path = paths.get(k);
                int roll = random.nextInt(100);
                if (roll < settings.readPercent()) {
                    HistoryRecorder.Pending p = recorder.invoke(id, path, Kind.READ, null, 0);
                    if (settings.syncedReads()) {
                        zk.sync(path, (rc, syncedPath, ctx) -> { }, null); // a failure fails the getData after it too
                    }
                    zk.getData(path, false, (rc, ignoredPath, ctx, data, stat) -> {
                        try {
                            if (rc == Code.OK.intValue()) {
                                lastSeenVersion.set(k, stat.getVersion());
                                p.read(new String(data, StandardCharsets.UTF_8), stat.getVersion());
                                acknowledged.incrementAndGet();
                            } else {
                                settle(p, rc, "getData " + path);
                            }
                        } finally {
                            window.release();
                        }
                    }, null);
                    return;
                }
                String value = "c" + id + "-" + (sequence++);
                boolean conditional = roll < settings.readPercent() + settings.casPercent();
                int expected = conditional ? lastSeenVersion.get(k) : -1;
                HistoryRecorder.Pending p = recorder.invoke(id, path, conditional ? Kind.CAS : Kind.WRITE, value,
                        conditional ? expected : 0);
                zk.setData(path, utf8(value), expected, (rc, ignoredPath, ctx, stat) -> {
                    try {
                        if (rc == Code.OK.intValue()) {
                            lastSeenVersion.set(k, stat.getVersion());
                            p.applied(stat.getVersion());
                            acknowledged.incrementAndGet();
                        } else {
                            settle(p, rc, (conditional ? "setData(v" + expected + ") " : "setData ") + path);
                        }
                    } finally {
                        window.release();
                    }
                }, null);
            }

            /** Maps a failure code onto the history: a definite failure, or an unknown outcome. */
            private void settle(HistoryRecorder.Pending p, int rc, String what) {
                Code code = Code.get(rc);
                if (code == Code.NONODE) {
                    p.failed(Outcome.NO_NODE);
                    acknowledged.incrementAndGet();
                } else if (code == Code.BADVERSION) {
                    p.failed(Outcome.BAD_VERSION);
                    acknowledged.incrementAndGet();
                } else if (code == Code.NODEEXISTS) {
                    p.failed(Outcome.NODE_EXISTS);
                    acknowledged.incrementAndGet();
                } else {
                    p.unknown();
                    if (code == Code.SESSIONEXPIRED) {
                        expired = true;
                    } else if (code != Code.CONNECTIONLOSS && code != Code.OPERATIONTIMEOUT
                            && code != Code.REQUESTTIMEOUT) {
                        noteUnexpected("c" + id + " " + what + ": " + code);
                    }
                }
            }

            private void closeQuietly(ZooKeeper zk) {
                if (zk == null) {
                    return;
                }
                try {
                    zk.close(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
