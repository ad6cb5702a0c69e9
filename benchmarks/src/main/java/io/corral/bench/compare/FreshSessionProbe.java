package io.corral.bench.compare;

import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One new session of the official ZooKeeper client, started at a fault on the whole connect string, that writes a
 * znode once it is connected (and again after each failed attempt): the time from the fault to that first
 * acknowledged write is the failover an application that starts just then sees, with the client's own choices (a
 * random order of servers, its random wait before it tries another one after a closed connection) left in.
 */
final class FreshSessionProbe implements AutoCloseable {
    private static final long RETRY_DELAY_MS = 1;

    private final ZooKeeper zk;
    private final String path;
    private final long faultAt;
    private final CompletableFuture<Long> acked = new CompletableFuture<>();
    private final byte[] data = {'f'};

    private FreshSessionProbe(String connect, int sessionTimeoutMs, String path, long faultAt) throws IOException {
        this.path = path;
        this.faultAt = faultAt;
        this.zk = new ZooKeeper(connect, sessionTimeoutMs, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                write();
            }
        });
    }

    /** Starts the session now; {@code faultAt} (System.nanoTime) is when the fault began. */
    static FreshSessionProbe start(String connect, int sessionTimeoutMs, String path, long faultAt)
            throws IOException {
        return new FreshSessionProbe(connect, sessionTimeoutMs, path, faultAt);
    }

    private void write() {
        if (acked.isDone()) {
            return;
        }
        zk.setData(path, data, -1, (rc, p, ctx, stat) -> {
            if (rc == KeeperException.Code.OK.intValue()) {
                acked.complete(System.nanoTime());
            } else if (!acked.isDone() && zk.getState().isAlive()) {
                CompletableFuture.delayedExecutor(RETRY_DELAY_MS, TimeUnit.MILLISECONDS).execute(this::write);
            }
        }, null);
    }

    /** Milliseconds from the fault to the first acknowledged write, or null if none within {@code timeoutMs}. */
    Double awaitMs(long timeoutMs) throws InterruptedException {
        try {
            return (acked.get(timeoutMs, TimeUnit.MILLISECONDS) - faultAt) / 1e6;
        } catch (TimeoutException e) {
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() throws InterruptedException {
        zk.close(1_000);
    }
}
