package io.corral.server.net;

import io.corral.protocol.ConnectRequest;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.Id;
import io.corral.protocol.JuteInput;
import io.corral.protocol.MarshallingException;
import io.corral.protocol.OpCode;
import io.corral.protocol.Record;
import io.corral.protocol.StreamFrame;
import io.corral.server.sequencer.Connection;
import io.corral.server.sequencer.ConnectionState;
import io.corral.server.sequencer.Inbound;
import io.corral.server.sequencer.Outbound;
import io.corral.server.sequencer.Request;
import io.corral.server.sequencer.RequestDecoder;
import io.corral.server.sequencer.Sequencer;
import io.corral.server.stream.StreamSink;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.concurrent.ScheduledFuture;
import org.jctools.queues.SpscChunkedArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection: decodes frames into requests and hands them to the sequencer, and writes what the
 * sequencer queued for it, both on the connection's event loop.
 *
 * <p>Replies are written as the client reads them. The sequencer only queues messages (and adds their encoded size
 * to the {@linkplain #backlogBytes() backlog}); the event loop encodes them one frame or one small batch at a time
 * and writes at most {@link #CHUNK} bytes per write, only while the channel is writable, and at most
 * {@link #SLICE} bytes per turn before it lets the loop's other connections go first. No buffer ever holds more
 * than one frame. While the backlog is at its bound ({@code clientOutboundLimitBytes}), requests stay here and the
 * socket is not read: a read of a node's data is counted at jute.maxbuffer until its reply is queued, so the backlog
 * cannot overshoot the bound by more than one reply. A client that takes none of its replies for
 * {@code clientSlowReaderTimeoutMs} is cut off; its backlog is dropped at once, and its session expires as any
 * session whose client went away.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter implements Connection, StreamSink {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    static final RateLimitedWarnings WARNINGS = new RateLimitedWarnings();
    /** ZooKeeper closes a connection that sends no ConnectRequest within 10 s. */
    private static final long HANDSHAKE_TIMEOUT_MS = 10_000;
    private static final long RETRY_MICROS = 100;
    /** A safety net behind the byte bound: so many messages queued means the client reads nothing. */
    private static final int MAX_QUEUED_OUTBOUND = 1 << 16;
    /** Bytes of resumable-stream frames queued and not yet encoded, at most (the stream hub waits beyond). */
    static final long STREAM_QUEUE_BYTES = 256 * 1024;
    private static final int MAX_QUEUED_STREAM_FRAMES = 1 << 12;
    /** Largest single write. */
    static final int CHUNK = 64 * 1024;
    /** Most bytes written for one connection before the event loop turns to other work. */
    static final int SLICE = 4 * CHUNK;

    private final Channel channel;
    private final Sequencer sequencer;
    private final int maxBuffer;
    private final long outboundLimit;
    private final long slowReaderTimeoutMs;
    private final ConnectionState state;
    private final String remoteIp;
    private final String remoteAddress;
    private final SpscChunkedArrayQueue<Outbound> outbound = new SpscChunkedArrayQueue<>(64, MAX_QUEUED_OUTBOUND);
    /** Bytes queued by the sequencer or handed to Netty and not yet taken by the socket. */
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Frames of this connection's resumable watch streams: filled by the stream hub's thread alone. */
    private final SpscChunkedArrayQueue<Outbound> streamOutbound = new SpscChunkedArrayQueue<>(16,
            MAX_QUEUED_STREAM_FRAMES);
    private final AtomicLong streamQueued = new AtomicLong();
    /** The hub found the stream queue full: wake it once there is room. */
    private volatile boolean streamBlocked;
    private volatile boolean overflowed;
    /** The output was dropped (the connection is closed or being closed): nothing more is queued. */
    private volatile boolean released;

    // --- event loop only ---
    /** Requests not yet handed to the sequencer: its queue was full, or the backlog at its bound. */
    private final ArrayDeque<Inbound> held = new ArrayDeque<>();
    /** What each request handed to the sequencer and not yet answered counts for in the backlog. */
    private final ArrayDeque<Long> charges = new ArrayDeque<>();
    private final Long dataReadCharge;
    private long charged;
    private boolean retryScheduled;
    /** The frame being written, in chunks. */
    private ByteBuf current;
    private final List<Outbound> batch = new ArrayList<>();
    private ChannelHandlerContext ctx;
    private boolean handshakeReceived;
    private boolean fourLetterWord;
    /** No more requests are decoded (the connection is being closed for bad input). */
    private boolean inputClosed;
    /** Output has ended with a Close. */
    private boolean closing;
    private long sessionId;
    private ScheduledFuture<?> handshakeTimeout;
    private StallWatch stall;

    ClientConnection(Channel channel, Sequencer sequencer, int maxBuffer, long outboundLimit,
                     long slowReaderTimeoutMs, List<Id> transportIds) {
        this.channel = channel;
        this.sequencer = sequencer;
        this.maxBuffer = maxBuffer;
        this.outboundLimit = outboundLimit;
        this.slowReaderTimeoutMs = slowReaderTimeoutMs;
        this.dataReadCharge = (long) maxBuffer;
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        this.remoteIp = remote.getAddress().getHostAddress();
        this.remoteAddress = remote.toString();
        this.state = new ConnectionState(remoteIp, transportIds);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.stall = new StallWatch(ctx.executor(), slowReaderTimeoutMs,
                () -> !channel.isWritable() && channel.isActive(),
                () -> cutOff("read none of its replies for " + slowReaderTimeoutMs + " ms"));
        // Reactor Netty reads on demand of its own inbound Flux; this handler consumes every frame itself
        channel.config().setAutoRead(true);
        handshakeTimeout = ctx.executor().schedule(() -> {
            if (!handshakeReceived) {
                log.info("Closing connection from {}: no ConnectRequest within {} ms", remoteAddress,
                        HANDSHAKE_TIMEOUT_MS);
                ctx.close();
            }
        }, HANDSHAKE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    // --- input ---

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FrameDecoder.FourLetterWord word) {
            handshakeReceived = true;
            fourLetterWord = true;
            submit(new Inbound.FourLetterWord(this, word.word()));
            return;
        }
        ByteBuf frame = (ByteBuf) msg;
        try {
            Inbound inbound = decode(frame);
            if (inbound != null) {
                submit(inbound);
            }
        } finally {
            frame.release();
        }
    }

    private Inbound decode(ByteBuf frame) {
        if (inputClosed) {
            return null;
        }
        JuteInput in = new JuteInput(frame, maxBuffer);
        if (!handshakeReceived) {
            try {
                ConnectRequest connect = ConnectRequest.read(in);
                handshakeReceived = true;
                return new Inbound.Connect(this, connect);
            } catch (MarshallingException e) {
                closeNow("malformed-connect", "malformed ConnectRequest (" + e.getMessage() + ")");
                return null;
            }
        }
        if (frame.readableBytes() < 8) {
            closeNow("short-frame", "frame of " + frame.readableBytes() + " bytes is too short for a request header");
            return null;
        }
        int xid = in.readInt();
        int type = in.readInt();
        try {
            Record body = RequestDecoder.decode(type, in);
            return Request.of(this, xid, type, body);
        } catch (MarshallingException e) {
            log.debug("Undecodable request (opcode {}) from {}: {}", type, remoteAddress, e.getMessage());
            return Request.failed(this, xid, type, ErrorCode.MARSHALLING_ERROR);
        } catch (RequestDecoder.UnsupportedOpcode e) {
            log.info("Closing connection from {}: unsupported opcode {}", remoteAddress, type);
            inputClosed = true;
            return Request.failed(this, xid, type, ErrorCode.UNIMPLEMENTED);
        }
    }

    private void closeNow(String kind, String reason) {
        WARNINGS.warn(log, kind, "Closing connection from " + remoteAddress + ": " + reason);
        inputClosed = true;
        closing = true;
        ctx.close();
    }

    private void submit(Inbound inbound) {
        held.addLast(inbound);
        pump();
    }

    /** Hands held requests to the sequencer while it takes them and the backlog is below its bound. */
    private void pump() {
        Inbound next;
        while ((next = held.peekFirst()) != null) {
            Long charge = next instanceof Request request ? chargeOf(request) : null;
            if (charge != null && backlog.get() + charged >= outboundLimit) {
                break;
            }
            if (!sequencer.offer(next)) {
                scheduleRetry();
                break;
            }
            held.pollFirst();
            if (charge != null) {
                charges.addLast(charge);
                charged += charge;
            }
        }
        updateAutoRead();
    }

    /** A read of data may be answered with up to jute.maxbuffer bytes; every other reply is small. */
    private Long chargeOf(Request request) {
        return switch (request.type()) {
            case OpCode.GET_DATA, OpCode.GET_CHILDREN, OpCode.GET_CHILDREN2, OpCode.MULTI_READ,
                    OpCode.GET_EPHEMERALS -> dataReadCharge;
            default -> 0L;
        };
    }

    private void scheduleRetry() {
        if (!retryScheduled) {
            retryScheduled = true;
            ctx.executor().schedule(() -> {
                retryScheduled = false;
                pump();
            }, RETRY_MICROS, TimeUnit.MICROSECONDS);
        }
    }

    /** Read from the socket only while every request read so far went to the sequencer. */
    private void updateAutoRead() {
        boolean read = held.isEmpty() && !released;
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent || event instanceof ChannelInputShutdownReadComplete) {
            // the client half-closed: a four-letter word is still answered (nc -N, FourLetterWordMain), as by
            // ZooKeeper; any other connection is over
            if (!fourLetterWord && event instanceof ChannelInputShutdownEvent) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
        stall.stop();
        release();
        held.clear();
        submit(new Inbound.Disconnected(this));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            log.debug("Connection from {} failed: {}", remoteAddress, cause.toString());
        } else {
            log.warn("Closing connection from {} after an unexpected error", remoteAddress, cause);
        }
        ctx.close();
    }

    // --- Connection: called by the sequencer thread ---

    @Override
    public void send(Outbound message) {
        if (released) {
            return;
        }
        long size = OutboundEncoder.size(message);
        backlog.addAndGet(size);
        if (!outbound.offer(message)) {
            backlog.addAndGet(-size);
            overflowed = true;
        }
    }

    @Override
    public void flush() {
        scheduleDrain();
    }

    // --- StreamSink: called by the stream hub's thread ---

    @Override
    public StreamSink streamSink() {
        return this;
    }

    @Override
    public boolean streamWritable() {
        if (released) {
            return false;
        }
        if (streamQueued.get() < STREAM_QUEUE_BYTES) {
            return true;
        }
        streamBlocked = true;
        return streamQueued.get() < STREAM_QUEUE_BYTES; // the loop may have taken frames meanwhile
    }

    @Override
    public void sendStream(StreamFrame frame) {
        if (released) {
            return;
        }
        Outbound message = new Outbound.Stream(frame);
        long size = OutboundEncoder.size(message);
        streamQueued.addAndGet(size);
        backlog.addAndGet(size);
        if (!streamOutbound.offer(message)) {
            streamQueued.addAndGet(-size);
            backlog.addAndGet(-size);
            overflowed = true;
        }
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(this::drain);
            } catch (RejectedExecutionException e) {
                // the loop ended (the client port is closing): so did this connection; the sequencer, which sends
                // to every connection, must not die of it
                released = true;
            }
        }
    }

    /**
     * The rest after the event loop's next round of I/O. Not {@code execute}: the loop runs the tasks queued while it
     * runs tasks in the same round, up to a second of them, and every other connection of the loop would wait; a
     * scheduled task is only taken at the start of the next round.
     */
    private void drainAfterOthers() {
        if (drainScheduled.compareAndSet(false, true)) {
            ctx.executor().schedule(this::drain, 0, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public String remoteIp() {
        return remoteIp;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public ConnectionState state() {
        return state;
    }

    @Override
    public long backlogBytes() {
        return backlog.get();
    }

    // --- output: event loop only ---

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable()) {
            stall.flowing();
            // not drain() here: this runs inside Netty's flush, and writing more from it keeps that flush going
            // until its write spin count is spent; Netty then re-queues the flush as a plain task, and the loop
            // runs such tasks for up to a second before it polls any socket again
            drainAfterOthers();
        } else {
            startStallTimer();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** Writes queued frames while the client takes them, one slice at a time. */
    private void drain() {
        drainScheduled.set(false);
        if (released) {
            dropQueued();
            return;
        }
        if (overflowed) {
            cutOff("left " + MAX_QUEUED_OUTBOUND + " messages unread");
            return;
        }
        int budget = SLICE;
        ByteBuf chunk = null;
        while (budget > 0 && channel.isWritable()) {
            if (current == null && !nextFrame()) {
                break;
            }
            if (chunk != null) {
                ctx.write(chunk, ctx.voidPromise());
            }
            int n = Math.min(CHUNK, current.readableBytes());
            chunk = current.readRetainedSlice(n);
            if (!current.isReadable()) {
                current.release();
                current = null;
            }
            budget -= n;
        }
        boolean wrote = chunk != null;
        if (wrote) { // one promise for the turn: writes complete in order
            ctx.write(chunk).addListener(written(SLICE - budget));
        }
        boolean more = current != null || !outbound.isEmpty() || !streamOutbound.isEmpty();
        if (closing && !more) {
            released = true; // the Close was the last message
            ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (wrote) {
            ctx.flush();
        }
        if (more && channel.isWritable()) {
            drainAfterOthers();
        } else if (more) {
            startStallTimer();
        }
        pump();
    }

    /** Takes the turn's bytes off the backlog once the socket took them (or the write failed). */
    private ChannelFutureListener written(int n) {
        return future -> {
            backlog.addAndGet(-n);
            if (!held.isEmpty() && !released) {
                pump();
            }
        };
    }

    /**
     * Takes the next frame, or a batch of small frames encoded together, into {@link #current}; false when there is
     * nothing to write (or a Close was reached).
     */
    private boolean nextFrame() {
        Outbound first = pollNext();
        if (first == null) {
            return false;
        }
        if (first instanceof Outbound.Close close) {
            log.debug("Closing connection from {}: {}", remoteAddress, close.reason());
            closing = true;
            return false;
        }
        taken(first);
        if (OutboundEncoder.isLarge(first)) {
            current = OutboundEncoder.encodeLarge((Outbound.Reply) first, ctx.alloc());
            return true;
        }
        long total = OutboundEncoder.size(first);
        batch.add(first);
        Outbound next;
        while ((next = peekNext()) != null && !(next instanceof Outbound.Close)
                && !OutboundEncoder.isLarge(next) && total + OutboundEncoder.size(next) <= CHUNK) {
            total += OutboundEncoder.size(next);
            batch.add(take(next));
            taken(next);
        }
        ByteBuf buf = ctx.alloc().ioBuffer((int) total);
        for (int i = 0; i < batch.size(); i++) {
            OutboundEncoder.encode(batch.get(i), buf);
        }
        batch.clear();
        if (buf.readableBytes() != total) { // the accounting must match what is written
            backlog.addAndGet(buf.readableBytes() - total);
        }
        if (!buf.isReadable()) {
            buf.release();
            return nextFrame();
        }
        current = buf;
        return true;
    }

    /**
     * The sequencer's messages go before the stream hub's: a subscription's reply (and its snapshot) is queued
     * before the hub hears of it, so it is always written before the subscription's first frame.
     */
    private Outbound peekNext() {
        Outbound next = outbound.peek();
        return next != null ? next : streamOutbound.peek();
    }

    private Outbound pollNext() {
        Outbound next = outbound.peek();
        return take(next != null ? next : streamOutbound.peek());
    }

    /** Takes what {@link #peekNext()} returned off the head of its queue. */
    private Outbound take(Outbound next) {
        if (next == null) {
            return null;
        }
        if (outbound.peek() == next) {
            return outbound.poll();
        }
        next = streamOutbound.poll();
        if (next != null) {
            long left = streamQueued.addAndGet(-OutboundEncoder.size(next));
            if (streamBlocked && left < STREAM_QUEUE_BYTES) {
                streamBlocked = false;
                sequencer.streams().wake();
            }
        }
        return next;
    }

    /** A reply answers the oldest request the sequencer has: its charge gives way to the reply's real size. */
    private void taken(Outbound message) {
        if (message instanceof Outbound.Reply) {
            Long charge = charges.pollFirst();
            if (charge != null) {
                charged -= charge;
            }
        } else if (message instanceof Outbound.Handshake handshake) {
            sessionId = handshake.response().sessionId();
        }
    }

    private void startStallTimer() {
        if (channel.isActive()) {
            stall.stalled();
        }
    }

    /** A client that does not read: one line, its backlog dropped now, the connection closed. */
    private void cutOff(String why) {
        log.warn("Closing connection from {}, session 0x{}: the client {}; {} bytes of replies queued",
                remoteAddress, Long.toHexString(sessionId), why, backlog.get());
        release();
        channel.close();
    }

    /** Drops everything not yet written; Netty releases what it holds when the channel closes. */
    private void release() {
        released = true;
        closing = true;
        dropQueued();
        if (current != null) {
            backlog.addAndGet(-current.readableBytes());
            current.release();
            current = null;
        }
        charges.clear();
        charged = 0;
    }

    private void dropQueued() {
        Outbound message;
        while ((message = outbound.poll()) != null) {
            backlog.addAndGet(-OutboundEncoder.size(message));
        }
        while ((message = streamOutbound.poll()) != null) { // racing the hub at worst leaves bytes counted
            long size = OutboundEncoder.size(message);
            streamQueued.addAndGet(-size);
            backlog.addAndGet(-size);
        }
    }
}
