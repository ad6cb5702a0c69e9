package io.corral.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import reactor.netty.Connection;

/**
 * One TCP connection to one server. Frames handed to {@link #send} leave in exactly that order: they go through one
 * queue that a task on the channel's event loop drains (one flush per batch), whatever thread sends.
 * The timestamps are read and written by the client's serial executor only.
 */
final class Wire {
    final Connection connection;
    final ConnectString.HostPort host;
    final int id;
    private final Channel channel;
    private final Queue<ByteBuf> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    long lastSendNanos;
    /**
     * When the server last answered the session (the handshake, a reply, a ping's reply). The session lives on the
     * server by what the client sends, and an answer proves the server took it; notifications and stream frames
     * prove nothing of the kind, so a server that froze while it streamed is left as soon as an idle one.
     */
    long lastAnswerNanos;
    boolean handshakeDone;
    /** The server offered Corral's resumable streams in its ConnectResponse. */
    volatile boolean streamsOffered;

    Wire(Connection connection, ConnectString.HostPort host, int id) {
        this.connection = connection;
        this.host = host;
        this.id = id;
        this.channel = connection.channel();
        this.lastSendNanos = System.nanoTime();
        this.lastAnswerNanos = lastSendNanos;
    }

    /** The address this connection reached (what its host resolved to), or null when the channel has none. */
    java.net.InetAddress remoteAddress() {
        return channel.remoteAddress() instanceof java.net.InetSocketAddress a ? a.getAddress() : null;
    }

    ByteBufAllocator alloc() {
        return channel.alloc();
    }

    void send(ByteBuf frame) {
        lastSendNanos = System.nanoTime();
        outbound.offer(frame);
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        ByteBuf frame;
        boolean wrote = false;
        while ((frame = outbound.poll()) != null) {
            channel.write(frame, channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
        if (!channel.isActive()) {
            release();
        }
    }

    void close() {
        connection.dispose();
        try {
            channel.eventLoop().execute(this::release);
        } catch (RejectedExecutionException e) {
            release(); // the loop has ended: nothing drains the queue any more
        }
    }

    private void release() {
        ByteBuf frame;
        while ((frame = outbound.poll()) != null) {
            frame.release();
        }
    }

    @Override
    public String toString() {
        return "connection " + id + " to " + host;
    }
}
