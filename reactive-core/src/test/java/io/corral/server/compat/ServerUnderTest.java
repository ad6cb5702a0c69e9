package io.corral.server.compat;

/**
 * A running ZooKeeper-compatible server (real Apache ZooKeeper or Corral) that the compatibility contracts talk to.
 */
public interface ServerUnderTest extends AutoCloseable {

    /** {@code "127.0.0.1:port"}, usable as a ZooKeeper / Curator connect string. */
    String connectString();

    /** A short name for messages ("zookeeper" or "corral"). */
    default String kind() {
        return getClass().getSimpleName();
    }

    /** Stops the server and removes its data directory. Must not throw checked exceptions. */
    @Override
    void close();
}
