package io.corral.server.peer;

/**
 * What the peer links report to the sequencer thread, in the order each link saw it. A link is one TCP connection;
 * its id tells a late report of an old link from the current one when a peer reconnects.
 */
public sealed interface PeerEvent {
    long peer();

    long link();

    record Connected(long peer, long link) implements PeerEvent {
    }

    record Disconnected(long peer, long link) implements PeerEvent {
    }

    record Received(long peer, long link, Object message) implements PeerEvent {
    }
}
