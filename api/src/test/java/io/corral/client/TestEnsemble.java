package io.corral.client;

import java.util.List;

/**
 * A running ensemble of ZooKeeper-protocol servers (Apache ZooKeeper's quorum now; Corral's once it exists) for the
 * ensemble contracts. Members are numbered 0..size-1; all listen on 127.0.0.1.
 */
public interface TestEnsemble extends AutoCloseable {

    int size();

    /** {@code host:port,...} of the given members, in that order (a client with shuffleHosts(false) tries them in order). */
    String connectString(int... members);

    /** Waits until a quorum is formed and every running member serves clients. */
    void awaitServing();

    /** The member that leads now (after {@link #awaitServing()}). */
    int leader();

    /** The running members that follow the leader. */
    List<Integer> followers();

    /** Stops one member (its clients lose their connection). */
    void stop(int member);

    /** Starts a stopped member again with its data. */
    void restart(int member);

    /** "zookeeper" or "corral". */
    String kind();

    @Override
    void close();
}
