package io.corral.client;

/** A running ZooKeeper-compatible server (Apache ZooKeeper or Corral) for the client contracts. */
public interface TestServer extends AutoCloseable {

    /** {@code 127.0.0.1:port}. */
    String connectString();

    /** "zookeeper" or "corral". */
    String kind();

    @Override
    void close();
}
