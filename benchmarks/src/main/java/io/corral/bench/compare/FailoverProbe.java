package io.corral.bench.compare;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writers that never pause, to see a fault from the client's side: sessions of the official ZooKeeper client,
 * each keeping one setData in flight on its own znode at all times (the next one goes as soon as the previous is
 * answered). {@link #around} injects a fault and measures, per session, the time from the fault to the first
 * acknowledged write that was sent once the fault was complete (so no write already in flight before the fault
 * can count), the longest pause between its acknowledgements until then, and whether it lost its connection.
 */
final class FailoverProbe implements AutoCloseable {

    /** A fault to inject, e.g. kill -9 of the leader; returns once it is complete (the process is gone). */
    interface Fault {
        void inject() throws Exception;
    }

    private static final int CONNECT_TIMEOUT_MS = 15_000;
    /** Pause before the next write after a failed one, so a session that keeps failing does not spin. */
    private static final long RETRY_DELAY_MS = 1;

    private final List<Writer> writers = new ArrayList<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "failover-probe-retry");
        t.setDaemon(true);
        return t;
    });
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    /** The clock of the current fault: each {@link #around} starts a new one. */
    private volatile RecoveryClock clock;
    private final int sessions;
    private final byte[] data = new byte[100];
    private volatile boolean closed;

    private FailoverProbe(int sessions) {
        Arrays.fill(data, (byte) 'w');
        this.sessions = sessions;
        clock = new RecoveryClock(sessions);
    }

    /** Connects {@code sessions} writers to {@code connect} and starts them, each on {@code parent}/w{i}. */
    static FailoverProbe start(String connect, int sessions, int sessionTimeoutMs, String parent) throws Exception {
        FailoverProbe probe = new FailoverProbe(sessions);
        try {
            for (int i = 0; i < sessions; i++) {
                int index = i;
                ZooKeeper zk = connect(connect, sessionTimeoutMs, () -> probe.clock.disconnected(index));
                probe.writers.add(probe.new Writer(i, zk, parent + "/w" + i));
            }
            ZooKeeper first = probe.writers.get(0).zk;
            createPath(first, parent);
            for (Writer w : probe.writers) {
                createIfMissing(first, w.path);
            }
            probe.writers.forEach(Writer::next);
            return probe;
        } catch (Exception e) {
            probe.close();
            throw e;
        }
    }

    /** Writes acknowledged so far, by every session. */
    long acknowledged() {
        return acknowledged.sum();
    }

    /**
     * Sessions whose connection is to the server on {@code clientPort} now, as the official client describes its
     * connection ({@code ZooKeeper.toString()}: {@code ... remoteserver:/127.0.0.1:PORT lastZxid:...}).
     */
    int sessionsConnectedTo(int clientPort) {
        int n = 0;
        for (Writer w : writers) {
            String described = w.zk.toString();
            int at = described.indexOf(" remoteserver:");
            if (at >= 0) {
                int end = described.indexOf(' ', at + 1);
                String remote = described.substring(at, end < 0 ? described.length() : end);
                n += remote.endsWith(":" + clientPort) ? 1 : 0;
            }
        }
        return n;
    }

    /** Waits until at least {@code count} writes have been acknowledged since the start. */
    void awaitAcknowledged(long count, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acknowledged() < count) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(acknowledged() + " of " + count + " writes acknowledged in " + timeout);
            }
            Thread.sleep(5); // the driver's thread; writers run on the clients' own threads
        }
    }

    /**
     * Injects the fault while the writers write, then waits (at most {@code timeout}) until every session has had
     * a write sent after the fault acknowledged. May be called again for the next fault, once this one returned.
     */
    RecoveryClock.Recovery around(Fault fault, Duration timeout) throws Exception {
        RecoveryClock faultClock = new RecoveryClock(sessions);
        clock = faultClock;
        long failedBefore = failed.sum();
        long faultAt = System.nanoTime();
        fault.inject();
        faultClock.faultComplete(faultAt, System.nanoTime());
        faultClock.await(timeout);
        return faultClock.recovery(failed.sum() - failedBefore);
    }

    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        for (Writer w : writers) {
            try {
                w.zk.close(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One session and its znode; its callbacks run on that session's event thread, one at a time. */
    private final class Writer {
        final int index;
        final ZooKeeper zk;
        final String path;
        /** when its last write was acknowledged (0: none yet); only on the session's event thread */
        long lastAcknowledged;

        Writer(int index, ZooKeeper zk, String path) {
            this.index = index;
            this.zk = zk;
            this.path = path;
        }

        void next() {
            if (closed) {
                return;
            }
            long sent = System.nanoTime();
            zk.setData(path, data, -1, (rc, p, ctx, stat) -> done(sent, rc), null);
        }

        private void done(long sent, int rc) {
            long now = System.nanoTime();
            if (rc == KeeperException.Code.OK.intValue()) {
                acknowledged.increment();
                clock.acknowledged(index, sent, now, lastAcknowledged);
                lastAcknowledged = now;
                next();
            } else {
                failed.increment();
                if (!closed) {
                    retries.schedule(this::next, RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    private static ZooKeeper connect(String connect, int sessionTimeoutMs, Runnable onDisconnected)
            throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connect, sessionTimeoutMs, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            } else if (event.getState() == Watcher.Event.KeeperState.Disconnected) {
                onDisconnected.run();
            }
        });
        if (!connected.await(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            zk.close(1_000);
            throw new TimeoutException("no session with " + connect + " within " + CONNECT_TIMEOUT_MS + " ms");
        }
        return zk;
    }

    private static void createPath(ZooKeeper zk, String path) throws Exception {
        int from = 0;
        while ((from = path.indexOf('/', from + 1)) > 0) {
            createIfMissing(zk, path.substring(0, from));
        }
        createIfMissing(zk, path);
    }

    private static void createIfMissing(ZooKeeper zk, String path) throws Exception {
        try {
            zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException e) {
            // a previous run's
        }
    }
}
