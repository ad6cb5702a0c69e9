package io.corral.server.ensemble;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;

/**
 * After a fault, how soon a fresh session of the official ZooKeeper client gets a write acknowledged: from the start,
 * a new client every {@code every} (then every 500 ms after the first two seconds), each on the whole connect
 * string, each writing {@code path} once connected. The official client waits a random 0–1 s before it tries another
 * server once one has closed its connection (as servers do while they elect), so a single session's figure is mostly
 * that draw; a new session every few tens of milliseconds shows when the ensemble could take a fresh session's
 * write. Every client is closed at the end.
 */
final class FreshSessionWrite implements AutoCloseable {

    /**
     * @param connectedNanos when the winning session was connected (System.nanoTime)
     * @param ackedNanos     when its write was acknowledged
     * @param sessions       sessions started until then
     */
    record Result(long connectedNanos, long ackedNanos, int sessions) {
    }

    private final String connectString;
    private final String path;
    private final List<ZooKeeper> clients = new ArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicLong connectedAt = new AtomicLong();
    private final AtomicLong ackedAt = new AtomicLong();

    private FreshSessionWrite(String connectString, String path) {
        this.connectString = connectString;
        this.path = path;
    }

    /** Starts sessions until one's write of {@code path} (which exists) is acknowledged, or {@code timeout}. */
    static Result firstWrite(String connectString, String path, Duration every, Duration timeout)
            throws InterruptedException {
        try (FreshSessionWrite probe = new FreshSessionWrite(connectString, path)) {
            long start = System.nanoTime();
            long deadline = start + timeout.toNanos();
            while (true) {
                probe.startSession();
                long elapsed = System.nanoTime() - start;
                long wait = elapsed < TimeUnit.SECONDS.toNanos(2) ? every.toNanos() : TimeUnit.MILLISECONDS.toNanos(500);
                if (probe.done.await(wait, TimeUnit.NANOSECONDS)) {
                    return new Result(probe.connectedAt.get(), probe.ackedAt.get(), probe.clients.size());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no fresh session of " + probe.clients.size() + " got a write of "
                            + path + " acknowledged within " + timeout);
                }
            }
        }
    }

    private void startSession() {
        CompletableFuture<ZooKeeper> made = new CompletableFuture<>();
        ZooKeeper zk;
        try {
            zk = new ZooKeeper(connectString, 6_000, event -> {
                if (event.getState() == KeeperState.SyncConnected && done.getCount() > 0) {
                    long connected = System.nanoTime(); // (again after a reconnection: its write failed)
                    made.thenAccept(client -> write(client, connected));
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a ZooKeeper client for " + connectString, e);
        }
        synchronized (clients) {
            clients.add(zk);
        }
        made.complete(zk);
    }

    private void write(ZooKeeper zk, long connected) {
        zk.setData(path, new byte[] {1}, -1, (rc, p, ctx, stat) -> {
            if (rc == KeeperException.Code.OK.intValue() && ackedAt.compareAndSet(0, System.nanoTime())) {
                connectedAt.set(connected);
                done.countDown();
            }
        }, null);
    }

    @Override
    public void close() throws InterruptedException {
        List<ZooKeeper> all;
        synchronized (clients) {
            all = List.copyOf(clients);
        }
        for (ZooKeeper zk : all) {
            zk.close(1_000);
        }
    }
}
