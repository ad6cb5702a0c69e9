package io.corral.server.sequencer;

import io.corral.protocol.ConnectRequest;

/**
 * What a connection hands the sequencer: a client's {@link Request} (anything after the handshake, decoded by
 * opcode), or one of the connection's own events. The set is closed, and the events are types of their own: no value
 * a client puts in a frame can make the sequencer take a request for a handshake, a lost connection or a
 * four-letter word.
 */
public sealed interface Inbound permits Request, Inbound.Connect, Inbound.Disconnected, Inbound.FourLetterWord {

    Connection connection();

    /** The first frame of a connection: the client's ConnectRequest. */
    record Connect(Connection connection, ConnectRequest request) implements Inbound {
    }

    /** The connection is gone; the session stays until it expires or is resumed elsewhere. */
    record Disconnected(Connection connection) implements Inbound {
    }

    /** A four-letter word sent instead of a ConnectRequest. */
    record FourLetterWord(Connection connection, String word) implements Inbound {
    }
}
