package io.corral.server.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.server.config.DataDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.corral.server.compat.ZkClients;

/**
 * kill -9 under load, many times: a Corral server runs as a child JVM (small snapCount, so fuzzy snapshots are
 * taken while clients write), clients pipeline creates, sequential creates, setData and multi through the
 * ZooKeeper async API, and the process is SIGKILLed after a random number of acknowledgements. After each restart
 * on the same data directory: every acknowledged write is there with its data, what a session got applied is a
 * prefix of what it sent (nothing lost in the middle, nothing half-applied: a multi is all or nothing), and zxids
 * keep increasing across restarts.
 *
 * <p>Seeded: {@code -Dcorral.crash.seed=N} replays the same workload choices and kill points (the timing of a
 * real process kill cannot be replayed exactly).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrashRecoveryTest {

    private static final int ROUNDS = Integer.getInteger("corral.crash.rounds", 12);
    private static final int CLIENTS = 3;
    private static final int MAX_IN_FLIGHT = 64;
    private static final byte[] NONE = Durability.utf8("none");

    @TempDir
    Path dir;

    private enum Kind { CREATE, SEQUENTIAL, SET_DATA, MULTI }

    /** One write a worker sent, and what came back. */
    private static final class Write {
        final Kind kind;
        final int round;
        final int client;
        final int index;
        /** CREATE: the path; SEQUENTIAL: the data (unique); SET_DATA: the counter path; MULTI: the id. */
        final String key;
        /** SET_DATA: the version the counter has once this write is applied. */
        final int version;
        volatile boolean answered;
        volatile boolean acked;
        volatile String ackedPath;

        Write(Kind kind, int round, int client, int index, String key, int version) {
            this.kind = kind;
            this.round = round;
            this.client = client;
            this.index = index;
            this.key = key;
            this.version = version;
        }

        String multiA() {
            return "/crash/m/" + key + "a";
        }

        String multiB() {
            return "/crash/m/" + key + "b";
        }

        @Override
        public String toString() {
            return kind + "(r" + round + " c" + client + " #" + index + " " + key
                    + (kind == Kind.SET_DATA ? " v" + version : "") + (acked ? ", acked" : ", not acked") + ")";
        }
    }

    /** Writes per (round, client), in the order sent. */
    private final Map<String, List<Write>> sent = new HashMap<>();
    /** The counter versions read when round r started ("r/c" -> version): round r-1's setData stop there. */
    private final Map<String, Integer> counterAtStart = new HashMap<>();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    /** The greatest zxid any client has seen so far. */
    private final AtomicLong highWater = new AtomicLong();

    @Test
    void acknowledgedWritesSurviveKillDashNine() throws Exception {
        long seed = Long.getLong("corral.crash.seed", System.nanoTime());
        System.out.println("CrashRecoveryTest seed " + seed + " (-Dcorral.crash.seed=" + seed + " to replay)");
        Random random = new Random(seed);
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        int port = Durability.freePort();
        long started = System.nanoTime();
        int totalAcked = 0;
        try (ChildServer server = new ChildServer(dir, port, Map.of(
                "dataDir", dataDir.toString(),
                "tickTime", "500",
                "snapCount", "200"))) {
            try {
                for (int round = 1; round <= ROUNDS + 1; round++) {
                    if (round > 1 && random.nextInt(4) == 0) {
                        killDuringRecovery(server);
                    }
                    long t0 = System.nanoTime();
                    server.start();
                    long startMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    int[] base = new int[CLIENTS];
                    try (ZooKeeper zk = ZkClients.connect(server.connectString())) {
                        if (round == 1) {
                            setUp(zk);
                        } else {
                            verify(zk, round - 1);
                        }
                        // a write after the restart gets a zxid above everything any client saw before
                        Stat probe = new Stat();
                        zk.create("/crash/probe-" + round, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                                probe);
                        assertThat(probe.getCzxid()).as("zxid of the first write after restart %d", round - 1)
                                .isGreaterThan(highWater.get());
                        highWater.accumulateAndGet(probe.getCzxid(), Math::max);
                        for (int c = 0; c < CLIENTS; c++) {
                            base[c] = zk.exists(counter(c), false).getVersion();
                            counterAtStart.put(round + "/" + c, base[c]);
                        }
                    }
                    if (round == ROUNDS + 1) {
                        System.out.printf("final restart: state verified (start %d ms)%n", startMs);
                        // a clean stop (SIGTERM runs the shutdown hook) loses nothing either
                        server.terminate();
                        int status = server.awaitExit(Duration.ofSeconds(30));
                        System.out.println("stopped by SIGTERM, exit status " + status);
                        server.start();
                        try (ZooKeeper zk = ZkClients.connect(server.connectString())) {
                            verify(zk, ROUNDS);
                            Stat probe = new Stat();
                            zk.create("/crash/probe-final", null, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                                    CreateMode.PERSISTENT, probe);
                            assertThat(probe.getCzxid()).isGreaterThan(highWater.get());
                        }
                        break;
                    }
                    int target = random.nextInt(1_500);
                    int acked = runAndKill(server, round, random.nextLong(), base, target);
                    totalAcked += acked;
                    System.out.printf("round %d: start %d ms, killed after %d acks (target %d), %d writes sent, "
                                    + "snapshots %s%n", round, startMs, acked, target, sentIn(round),
                            Durability.list(dataDir.resolve(DataDirectories.SNAPSHOTS)).size());
                }
            } catch (Throwable t) {
                System.out.println("CrashRecoveryTest failed with seed " + seed + "; server output ("
                        + server.logFile() + "):\n" + server.log());
                throw t;
            }
        }
        System.out.printf("CrashRecoveryTest: %d rounds, %d acknowledged writes, %d ms; snapshot dir: %s%n", ROUNDS,
                totalAcked, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                Durability.list(dataDir.resolve(DataDirectories.SNAPSHOTS)));
    }

    /** Launches the server and SIGKILLs it once its log is open, while it recovers: recovery must survive that. */
    private static void killDuringRecovery(ChildServer server) {
        int opened = occurrences(server.log(), "Opened txn log");
        Process p = server.launch();
        await("child opened its txn log").atMost(ChildServer.START_TIMEOUT).pollInterval(Duration.ofMillis(5))
                .until(() -> occurrences(server.log(), "Opened txn log") > opened || !p.isAlive());
        server.kill();
        System.out.println("killed a server while it was recovering");
    }

    private static int occurrences(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String counter(int client) {
        return "/crash/ctr/c" + client;
    }

    private static String multiCounter(int client) {
        return "/crash/mc/c" + client;
    }

    private static void setUp(ZooKeeper zk) throws KeeperException, InterruptedException {
        for (String p : List.of("/crash", "/crash/n", "/crash/seq", "/crash/m", "/crash/ctr", "/crash/mc")) {
            zk.create(p, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        for (int c = 0; c < CLIENTS; c++) {
            zk.create(counter(c), Durability.utf8("v0"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            zk.create(multiCounter(c), NONE, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
    }

    private int sentIn(int round) {
        int n = 0;
        for (int c = 0; c < CLIENTS; c++) {
            n += sent.get(round + "/" + c).size();
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------------------------
    // the workload

    private int runAndKill(ChildServer server, int round, long seed, int[] base, int target) throws Exception {
        long roundHighWater = highWater.get();
        AtomicInteger acks = new AtomicInteger();
        List<Worker> workers = new ArrayList<>();
        try {
            for (int c = 0; c < CLIENTS; c++) {
                List<Write> writes = new ArrayList<>();
                sent.put(round + "/" + c, writes);
                workers.add(new Worker(ZkClients.connect(server.connectString()), round, c, new Random(seed + c),
                        base[c], writes, acks, roundHighWater));
            }
            workers.forEach(w -> w.thread.start());
            await("round " + round + ": " + target + " acknowledged writes").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> acks.get() >= target || workers.stream().anyMatch(w -> w.failure != null));
        } finally {
            server.kill();
            workers.forEach(w -> w.stop = true);
            // close every session at once: each close waits for one failed reconnect (up to a second)
            List<Thread> closers = new ArrayList<>();
            for (Worker w : workers) {
                Thread t = new Thread(() -> ZkClients.closeQuietly(w.zk), "close-" + w.client);
                t.start();
                closers.add(t);
            }
            for (Thread t : closers) {
                t.join(15_000);
            }
            for (Worker w : workers) {
                w.thread.join(15_000);
                assertThat(w.thread.isAlive()).as("worker %d still running", w.client).isFalse();
            }
        }
        for (Worker w : workers) {
            if (w.failure != null) {
                throw new AssertionError("worker " + w.client + " failed", w.failure);
            }
        }
        // every async call gets exactly one callback, connection loss included
        await("every write of round " + round + " answered").atMost(Duration.ofSeconds(15))
                .until(() -> workers.stream().allMatch(w -> w.writes.stream().allMatch(x -> x.answered)));
        assertNoErrors();
        return acks.get();
    }

    private final class Worker {
        final ZooKeeper zk;
        final int round;
        final int client;
        final Random random;
        final List<Write> writes;
        final AtomicInteger acks;
        final long roundHighWater;
        final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        final Thread thread;
        int version;
        long lastAckedZxid;
        volatile boolean stop;
        volatile Throwable failure;

        Worker(ZooKeeper zk, int round, int client, Random random, int baseVersion, List<Write> writes,
               AtomicInteger acks, long roundHighWater) {
            this.zk = zk;
            this.round = round;
            this.client = client;
            this.random = random;
            this.version = baseVersion;
            this.writes = writes;
            this.acks = acks;
            this.roundHighWater = roundHighWater;
            this.thread = new Thread(this::run, "crash-writer-" + client);
        }

        void run() {
            try {
                int i = 0;
                while (!stop) {
                    if (!inFlight.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    if (stop) {
                        inFlight.release();
                        break;
                    }
                    send(i++);
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        private void send(int i) {
            String id = "r" + round + "c" + client + "i" + i;
            int pick = random.nextInt(10);
            if (pick < 3) {
                Write w = record(new Write(Kind.CREATE, round, client, i, "/crash/n/" + id, 0));
                zk.create(w.key, Durability.utf8(id), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                        (AsyncCallback.Create2Callback) (rc, path, ctx, name, stat) ->
                                answered(w, rc, name, rc == 0 ? stat.getCzxid() : 0), null);
            } else if (pick < 5) {
                Write w = record(new Write(Kind.SEQUENTIAL, round, client, i, id, 0));
                zk.create("/crash/seq/s-", Durability.utf8(id), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT_SEQUENTIAL,
                        (AsyncCallback.Create2Callback) (rc, path, ctx, name, stat) ->
                                answered(w, rc, name, rc == 0 ? stat.getCzxid() : 0), null);
            } else if (pick < 8) {
                version++;
                Write w = record(new Write(Kind.SET_DATA, round, client, i, counter(client), version));
                zk.setData(w.key, Durability.utf8("v" + version), -1, (rc, path, ctx, stat) -> {
                    if (rc == 0 && stat.getVersion() != w.version) {
                        errors.add(w + " acknowledged with version " + stat.getVersion());
                    }
                    answered(w, rc, null, rc == 0 ? stat.getMzxid() : 0);
                }, null);
            } else {
                Write w = record(new Write(Kind.MULTI, round, client, i, id, 0));
                zk.multi(List.of(
                        Op.create(w.multiA(), Durability.utf8(id), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                        Op.create(w.multiB(), Durability.utf8(id), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                        Op.setData(multiCounter(client), Durability.utf8(id), -1)), (rc, path, ctx, results) -> {
                    long zxid = 0;
                    if (rc == 0) {
                        for (OpResult r : results) {
                            if (r instanceof OpResult.SetDataResult s) {
                                zxid = s.getStat().getMzxid();
                            }
                        }
                    }
                    answered(w, rc, null, zxid);
                }, null);
            }
        }

        private Write record(Write w) {
            writes.add(w);
            return w;
        }

        /** On the client's event thread: callbacks of one session arrive in the order the writes were sent. */
        private void answered(Write w, int rc, String path, long zxid) {
            try {
                if (rc == KeeperException.Code.OK.intValue()) {
                    if (zxid <= roundHighWater) {
                        errors.add(w + " acknowledged with zxid 0x" + Long.toHexString(zxid)
                                + ", not above 0x" + Long.toHexString(roundHighWater) + " seen before the restart");
                    }
                    if (zxid <= lastAckedZxid) {
                        errors.add(w + " acknowledged with zxid 0x" + Long.toHexString(zxid)
                                + " after the session saw 0x" + Long.toHexString(lastAckedZxid));
                    }
                    lastAckedZxid = zxid;
                    highWater.accumulateAndGet(zxid, Math::max);
                    w.ackedPath = path;
                    w.acked = true;
                    acks.incrementAndGet();
                } else if (rc != KeeperException.Code.CONNECTIONLOSS.intValue()
                        && rc != KeeperException.Code.SESSIONEXPIRED.intValue()) {
                    errors.add(w + " failed with " + KeeperException.Code.get(rc));
                }
            } finally {
                w.answered = true;
                inFlight.release();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // the checks

    private record Read(int rc, byte[] data, Stat stat) {
    }

    /** getData of many paths, pipelined. */
    private static Map<String, Read> readAll(ZooKeeper zk, List<String> paths) throws InterruptedException {
        Map<String, Read> out = new java.util.concurrent.ConcurrentHashMap<>();
        Semaphore window = new Semaphore(1_000);
        CountDownLatch done = new CountDownLatch(paths.size());
        for (String p : paths) {
            window.acquire();
            zk.getData(p, false, (rc, path, ctx, data, stat) -> {
                out.put(path, new Read(rc, data, stat));
                window.release();
                done.countDown();
            }, null);
        }
        if (!done.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("reads did not complete: " + done.getCount() + " missing");
        }
        return out;
    }

    private void verify(ZooKeeper zk, int lastRound) throws Exception {
        List<String> paths = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            paths.add(counter(c));
            paths.add(multiCounter(c));
        }
        for (List<Write> writes : sent.values()) {
            for (Write w : writes) {
                if (w.kind == Kind.CREATE) {
                    paths.add(w.key);
                } else if (w.kind == Kind.MULTI) {
                    paths.add(w.multiA());
                    paths.add(w.multiB());
                }
            }
        }
        Map<String, Read> reads = readAll(zk, paths);
        List<String> seqChildren = zk.getChildren("/crash/seq", false);
        Map<String, Read> seqReads = readAll(zk, seqChildren.stream().map(s -> "/crash/seq/" + s).toList());
        Map<String, String> seqByData = new HashMap<>();
        for (Map.Entry<String, Read> e : seqReads.entrySet()) {
            String data = Durability.utf8(e.getValue().data());
            String previous = seqByData.put(data, e.getKey());
            if (previous != null) {
                errors.add("sequential create " + data + " applied twice: " + previous + " and " + e.getKey());
            }
        }
        for (Read r : reads.values()) {
            if (r.rc() == 0) {
                highWater.accumulateAndGet(Math.max(r.stat().getMzxid(), r.stat().getPzxid()), Math::max);
            }
        }
        for (Read r : seqReads.values()) {
            highWater.accumulateAndGet(r.stat().getMzxid(), Math::max);
        }
        int[] counterVersion = new int[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            Read r = reads.get(counter(c));
            counterVersion[c] = r.stat().getVersion();
            if (!("v" + counterVersion[c]).equals(Durability.utf8(r.data()))) {
                errors.add(counter(c) + " has version " + counterVersion[c] + " but data "
                        + Durability.utf8(r.data()) + " (data and version of different writes)");
            }
        }
        for (int c = 0; c < CLIENTS; c++) {
            String lastMulti = "none";
            for (int round = 1; round <= lastRound; round++) {
                List<Write> writes = sent.get(round + "/" + c);
                Write firstMissing = null;
                for (Write w : writes) {
                    boolean applied = switch (w.kind) {
                        case CREATE -> {
                            Read r = reads.get(w.key);
                            if (r.rc() == 0 && !w.key.endsWith(Durability.utf8(r.data()))) {
                                errors.add(w + " found with data " + Durability.utf8(r.data()));
                            }
                            yield r.rc() == 0;
                        }
                        case SEQUENTIAL -> {
                            String path = seqByData.remove(w.key);
                            if (w.acked && path != null && !path.equals(w.ackedPath)) {
                                errors.add(w + " acknowledged as " + w.ackedPath + " but found at " + path);
                            }
                            yield path != null;
                        }
                        // the versions of a round's setData that were lost are reused by the next round
                        case SET_DATA -> w.version <= (round == lastRound ? counterVersion[c]
                                : counterAtStart.get((round + 1) + "/" + c));
                        case MULTI -> {
                            boolean a = reads.get(w.multiA()).rc() == 0;
                            boolean b = reads.get(w.multiB()).rc() == 0;
                            if (a != b) {
                                errors.add(w + " half applied: " + w.multiA() + (a ? " exists" : " missing")
                                        + ", " + w.multiB() + (b ? " exists" : " missing"));
                            }
                            if (a) {
                                lastMulti = w.key;
                            }
                            yield a && b;
                        }
                    };
                    if (w.acked && !applied) {
                        errors.add("LOST: " + w + " was acknowledged but is not there after the restart");
                    }
                    if (!applied && firstMissing == null) {
                        firstMissing = w;
                    } else if (applied && firstMissing != null) {
                        errors.add("HOLE: " + w + " is there but the same session's earlier " + firstMissing
                                + " is not");
                    }
                }
            }
            String mc = Durability.utf8(reads.get(multiCounter(c)).data());
            if (!lastMulti.equals(mc)) {
                errors.add(multiCounter(c) + " holds " + mc + " but the last applied multi of client " + c + " is "
                        + lastMulti);
            }
        }
        if (!seqByData.isEmpty()) {
            errors.add("sequential nodes nobody created: " + seqByData);
        }
        assertNoErrors();
    }

    private void assertNoErrors() {
        if (!errors.isEmpty()) {
            List<String> all = new ArrayList<>(errors);
            throw new AssertionError(all.size() + " durability violation(s):\n  "
                    + String.join("\n  ", all.subList(0, Math.min(50, all.size()))));
        }
    }
}
