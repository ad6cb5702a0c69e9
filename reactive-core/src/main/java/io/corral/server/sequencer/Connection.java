package io.corral.server.sequencer;

import io.corral.server.stream.StreamSink;

/**
 * A client connection as the sequencer sees it. The network layer implements it; the sequencer only queues
 * output and keeps its own per-connection state in {@link ConnectionState}.
 */
public interface Connection {

    /** Queues a message; it is written when {@link #flush()} is next called. Called on the sequencer thread only. */
    void send(Outbound message);

    /** Hands everything queued so far to the connection's event loop. */
    void flush();

    /** The client's IP address as text, for the ip ACL scheme. */
    String remoteIp();

    /** "/ip:port", for the cons four-letter word. */
    String remoteAddress();

    ConnectionState state();

    /** Where this connection's resumable watch streams go; null when it cannot carry them. */
    default StreamSink streamSink() {
        return null;
    }

    /** Bytes of replies and events queued for this connection and not yet taken by its client. */
    default long backlogBytes() {
        return 0;
    }
}
