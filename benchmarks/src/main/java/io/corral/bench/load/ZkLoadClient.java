package io.corral.bench.load;

import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link LoadClient} on the official Apache ZooKeeper Java client (its NIO socket, no Netty). */
final class ZkLoadClient implements LoadClient {
    private final ZooKeeper zk;
    private final WatchListener watches;

    private ZkLoadClient(ZooKeeper zk, WatchListener watches) {
        this.zk = zk;
        this.watches = watches;
    }

    static final class ZkFactory implements Factory {
        @Override
        public LoadClient connect(String connectString, int sessionTimeoutMs, int connectTimeoutMs,
                                  WatchListener watches) throws Exception {
            CountDownLatch connected = new CountDownLatch(1);
            Watcher watcher = (WatchedEvent event) -> {
                if (event.getType() == Watcher.Event.EventType.None) {
                    if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                        connected.countDown();
                    }
                } else if (event.getType() == Watcher.Event.EventType.NodeDataChanged && watches != null) {
                    watches.dataChanged(event.getPath());
                }
            };
            ZooKeeper zk = new ZooKeeper(connectString, sessionTimeoutMs, watcher);
            if (!connected.await(connectTimeoutMs, TimeUnit.MILLISECONDS)) {
                zk.close(1_000);
                throw new TimeoutException("no session with " + connectString + " within " + connectTimeoutMs + " ms");
            }
            return new ZkLoadClient(zk, watches);
        }
    }

    @Override
    public void create(String path, byte[] data, Callback callback) {
        zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                (rc, p, ctx, name) -> callback.done(rc), null);
    }

    @Override
    public void setData(String path, byte[] data, Callback callback) {
        zk.setData(path, data, -1, (rc, p, ctx, stat) -> callback.done(rc), null);
    }

    @Override
    public void getData(String path, boolean watch, Callback callback) {
        zk.getData(path, watch, (rc, p, ctx, data, stat) -> callback.done(rc), null);
    }

    @Override
    public void delete(String path, Callback callback) {
        zk.delete(path, -1, (rc, p, ctx) -> callback.done(rc), null);
    }

    @Override
    public void watchNode(String path, Callback registered) {
        zk.addWatch(path, event -> {
            if (event.getType() == Watcher.Event.EventType.NodeDataChanged && watches != null) {
                watches.dataChanged(event.getPath());
            }
        }, AddWatchMode.PERSISTENT, (rc, p, ctx) -> registered.done(rc), null);
    }

    @Override
    public void close() {
        try {
            zk.close(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
