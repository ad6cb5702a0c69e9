package io.corral.server.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.admin.ZooKeeperAdmin;

/** Connects the official ZooKeeper Java client and waits for SyncConnected. */
public final class ZkClients {

    /** Requested session timeout when a test does not care (clamped by the server). */
    public static final int DEFAULT_SESSION_TIMEOUT_MS = 10_000;
    /** How long to wait for SyncConnected. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private ZkClients() {
    }

    public static ZooKeeper connect(String connectString) {
        return connect(connectString, DEFAULT_SESSION_TIMEOUT_MS, null);
    }

    public static ZooKeeper connect(String connectString, Watcher watcher) {
        return connect(connectString, DEFAULT_SESSION_TIMEOUT_MS, watcher);
    }

    /** New session; {@code watcher} (may be null) becomes the default watcher and also sees the state events. */
    public static ZooKeeper connect(String connectString, int sessionTimeoutMs, Watcher watcher) {
        return connected(watcher, latch -> new ZooKeeper(connectString, sessionTimeoutMs, latch));
    }

    /** A connected {@link ZooKeeperAdmin} without credentials (reconfig then needs skipACL). */
    public static ZooKeeperAdmin plainAdmin(String connectString) {
        return connected(null, latch -> new ZooKeeperAdmin(connectString, DEFAULT_SESSION_TIMEOUT_MS, latch));
    }

    private interface Opening<T extends ZooKeeper> {
        T open(Watcher watcher) throws IOException;
    }

    /** Opens a client whose default watcher is {@code watcher} (may be null) and waits for SyncConnected. */
    private static <T extends ZooKeeper> T connected(Watcher watcher, Opening<T> opening) {
        ConnectedLatch latch = new ConnectedLatch(watcher);
        T zk;
        try {
            zk = opening.open(latch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        latch.await(zk);
        return zk;
    }

    /** A connected {@link ZooKeeperAdmin} of the super user (ZooKeeper allows reconfig to it). */
    public static ZooKeeperAdmin superAdmin(String connectString) {
        ZooKeeperAdmin admin = plainAdmin(connectString);
        admin.addAuthInfo("digest", CompatHarness.SUPER_USER_PASSWORD.getBytes(StandardCharsets.UTF_8));
        return admin;
    }

    /** Resumes an existing session and waits for SyncConnected. */
    public static ZooKeeper reattach(String connectString, int sessionTimeoutMs, long sessionId, byte[] password,
            Watcher watcher) {
        ConnectedLatch latch = new ConnectedLatch(watcher);
        ZooKeeper zk = reattachNoWait(connectString, sessionTimeoutMs, sessionId, password, latch);
        latch.await(zk);
        return zk;
    }

    /** Resumes an existing session without waiting (use when the server is expected to reject it). */
    public static ZooKeeper reattachNoWait(String connectString, int sessionTimeoutMs, long sessionId, byte[] password,
            Watcher watcher) {
        try {
            return new ZooKeeper(connectString, sessionTimeoutMs, watcher == null ? e -> { } : watcher, sessionId,
                    password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes (session close, not just the socket) and swallows everything. */
    public static void closeQuietly(ZooKeeper... clients) {
        for (ZooKeeper zk : clients) {
            if (zk == null) {
                continue;
            }
            try {
                zk.close(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
    }

    private static final class ConnectedLatch implements Watcher {
        private final CountDownLatch connected = new CountDownLatch(1);
        private final Watcher delegate;

        ConnectedLatch(Watcher delegate) {
            this.delegate = delegate;
        }

        @Override
        public void process(WatchedEvent event) {
            if (event.getType() == Event.EventType.None && event.getState() == KeeperState.SyncConnected) {
                connected.countDown();
            }
            if (delegate != null) {
                delegate.process(event);
            }
        }

        void await(ZooKeeper zk) {
            try {
                if (!connected.await(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    closeQuietly(zk);
                    throw new IllegalStateException("not connected within " + CONNECT_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeQuietly(zk);
                throw new IllegalStateException(e);
            }
        }
    }
}
