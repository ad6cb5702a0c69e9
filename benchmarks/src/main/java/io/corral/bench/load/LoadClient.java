package io.corral.bench.load;

/**
 * One client session, as the load tool drives it: asynchronous operations whose callbacks report a ZooKeeper
 * error code (0 = OK; the codes are the wire protocol's, so every client reports the same numbers). Callbacks
 * may run on any thread, but those of one session never run concurrently with each other. Implementations:
 * {@link ZkLoadClient} (the official Apache ZooKeeper client) and {@link CorralLoadClient} (Corral's reactive client).
 */
public interface LoadClient extends AutoCloseable {
    int OK = 0;
    int NO_NODE = -101;
    int NODE_EXISTS = -110;

    /** Completion of one operation. */
    interface Callback {
        void done(int rc);
    }

    /** Node events delivered to the session (from getData with watch = true). */
    interface WatchListener {
        void dataChanged(String path);
    }

    /** Creates a persistent node with an open ACL. */
    void create(String path, byte[] data, Callback callback);

    /** setData with version -1. */
    void setData(String path, byte[] data, Callback callback);

    void getData(String path, boolean watch, Callback callback);

    void delete(String path, Callback callback);

    /**
     * A persistent watch on one node that stays until the session ends (the official client: addWatch PERSISTENT;
     * Corral's: a {@code watch(path, NODE)} stream); its NodeDataChanged events go to the session's
     * {@link WatchListener}. The callback runs once the server has registered it.
     */
    void watchNode(String path, Callback registered);

    /** Closes the session and waits for the server's answer (bounded). */
    @Override
    void close();

    /** Makes sessions of one kind of client. */
    interface Factory {
        /** Opens a session and returns once it is connected; throws when it cannot within the timeout. */
        LoadClient connect(String connectString, int sessionTimeoutMs, int connectTimeoutMs, WatchListener watches)
                throws Exception;

        static Factory named(String name) {
            return switch (name) {
                case "zk" -> new ZkLoadClient.ZkFactory();
                case "corral" -> new CorralLoadClient.CorralFactory();
                default -> throw new IllegalArgumentException("unknown --client " + name + " (available: zk, corral)");
            };
        }
    }
}
