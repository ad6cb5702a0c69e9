package io.corral.server.sequencer;

import io.corral.protocol.Record;

/**
 * A decoded client request on its way to the sequencer: whatever opcode a frame after the handshake carries, known
 * or not. Decoding happens on the event loop; a request whose body could not be decoded, or whose opcode is unknown,
 * still travels here (with {@link #error}) so that its error reply keeps the FIFO order.
 */
public final class Request implements Inbound {
    final Connection connection;
    final int xid;
    final int type;
    final Record body;
    /** 0, or the error code to answer with (MARSHALLINGERROR, UNIMPLEMENTED). */
    final int error;
    final long receivedNanos;

    private Request(Connection connection, int xid, int type, Record body, int error) {
        this.connection = connection;
        this.xid = xid;
        this.type = type;
        this.body = body;
        this.error = error;
        this.receivedNanos = System.nanoTime();
    }

    public static Request of(Connection connection, int xid, int type, Record body) {
        return new Request(connection, xid, type, body, 0);
    }

    public static Request failed(Connection connection, int xid, int type, int error) {
        return new Request(connection, xid, type, null, error);
    }

    /** A write the server makes itself (session expiry, container and TTL reaping). */
    static Request internal(int type, Record body) {
        return new Request(null, 0, type, body, 0);
    }

    @Override
    public Connection connection() {
        return connection;
    }

    public int type() {
        return type;
    }
}
