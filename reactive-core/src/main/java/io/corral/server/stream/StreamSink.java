package io.corral.server.stream;

import io.corral.protocol.StreamFrame;

/**
 * Where the frames of a connection's subscriptions go: the connection, with a queue of its own that only the
 * {@link StreamHub}'s thread fills, bounded in bytes. The hub sends only while {@link #streamWritable()}; the
 * connection calls {@link StreamHub#wake()} once it took enough of that queue.
 */
public interface StreamSink {

    /** Whether the stream queue is below its bound (the hub's thread only). */
    boolean streamWritable();

    /** Queues a frame (the hub's thread only; after {@link #streamWritable()} said yes, or to end a subscription). */
    void sendStream(StreamFrame frame);

    /** For log lines. */
    String remoteAddress();
}
