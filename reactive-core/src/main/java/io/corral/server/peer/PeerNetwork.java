package io.corral.server.peer;


/**
 * The links to the other members, as the ZAB shell uses them: messages out, events in, on the shell's thread. The
 * real one is {@link PeerTransport} (Reactor Netty); the simulation's links have a capacity.
 * Per peer, messages arrive in the order sent, and a lost one comes with a lost connection.
 */
public interface PeerNetwork extends AutoCloseable {

    /** Queues a message for {@code peer}: false when there is no link (dropped), or its queue is full (it closes). */
    boolean send(long peer, byte[] message);

    /** The next event from the links, or null. */
    PeerEvent poll();

    boolean hasEvents();

    /** The link to {@code peer} as operators see it; null without one (or on a network that does not tell). */
    default PeerLinkStatus status(long peer) {
        return null;
    }

    /**
     * A reconfiguration changed the members: {@code peers} maps every other member to its peer address. Servers no
     * longer there are not redialed; new members are dialed (or asked to dial).
     */
    default void updatePeers(java.util.Map<Long, java.net.InetSocketAddress> peers) {
    }

    /** Closes the link to {@code peer}, with a log line naming the reason. */
    void disconnect(long peer, String reason);

    @Override
    void close();
}
