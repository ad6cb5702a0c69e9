package io.corral.server.sequencer;

import io.corral.protocol.Record;

/**
 * A decoded client request on its way to the sequencer. Decoding happens on the event loop; a request whose body
 * could not be decoded still travels here (with {@link #error}) so that its error reply keeps the FIFO order.
 */
public final class Request {
    /** Pseudo op types that never appear on the wire. */
    public static final int CONNECT = Integer.MIN_VALUE;
    public static final int DISCONNECTED = Integer.MIN_VALUE + 1;
    public static final int FOUR_LETTER_WORD = Integer.MIN_VALUE + 2;

    final Connection connection;
    final int xid;
    final int type;
    final Record body;
    /** 0, or the error code to answer with (MARSHALLINGERROR, UNIMPLEMENTED). */
    final int error;
    final String word;
    final long receivedNanos;

    private Request(Connection connection, int xid, int type, Record body, int error, String word) {
        this.connection = connection;
        this.xid = xid;
        this.type = type;
        this.body = body;
        this.error = error;
        this.word = word;
        this.receivedNanos = System.nanoTime();
    }

    public static Request of(Connection connection, int xid, int type, Record body) {
        return new Request(connection, xid, type, body, 0, null);
    }

    public static Request failed(Connection connection, int xid, int type, int error) {
        return new Request(connection, xid, type, null, error, null);
    }

    public static Request connect(Connection connection, Record connectRequest) {
        return new Request(connection, 0, CONNECT, connectRequest, 0, null);
    }

    public static Request disconnected(Connection connection) {
        return new Request(connection, 0, DISCONNECTED, null, 0, null);
    }

    public static Request fourLetterWord(Connection connection, String word) {
        return new Request(connection, 0, FOUR_LETTER_WORD, null, 0, word);
    }

    /** A write the server makes itself (session expiry, container and TTL reaping). */
    static Request internal(int type, Record body) {
        return new Request(null, 0, type, body, 0, null);
    }

    public int type() {
        return type;
    }
}
