package io.corral.server.net;

import io.corral.protocol.ConnectRequest;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.JuteInput;
import io.corral.protocol.MarshallingException;
import io.corral.protocol.Record;
import io.corral.server.sequencer.Connection;
import io.corral.server.sequencer.ConnectionState;
import io.corral.server.sequencer.Outbound;
import io.corral.server.sequencer.Request;
import io.corral.server.sequencer.RequestDecoder;
import io.corral.server.sequencer.Sequencer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import org.jctools.queues.SpscChunkedArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client connection: decodes frames into requests and hands them to the sequencer on the event loop, and
 * writes what the sequencer queued for it, also on the event loop. When the sequencer's queue is full it stops
 * reading the socket and retries shortly (back-pressure); when the client does not read its replies, the same.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter implements Connection {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    /** ZooKeeper closes a connection that sends no ConnectRequest within 10 s. */
    private static final long HANDSHAKE_TIMEOUT_MS = 10_000;
    private static final long RETRY_MICROS = 100;
    private static final int MAX_QUEUED_OUTBOUND = 1 << 16;

    private final Channel channel;
    private final Sequencer sequencer;
    private final int maxBuffer;
    private final ConnectionState state;
    private final String remoteIp;
    private final String remoteAddress;
    private final SpscChunkedArrayQueue<Outbound> outbound = new SpscChunkedArrayQueue<>(64, MAX_QUEUED_OUTBOUND);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean overflowed;
    /** Requests the full sequencer queue refused; event loop only. */
    private final ArrayDeque<Request> stalled = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean handshakeReceived;
    /** No more requests are decoded (the connection is being closed for bad input). */
    private boolean inputClosed;
    /** Output has ended with a Close. */
    private boolean closing;
    private ScheduledFuture<?> handshakeTimeout;

    ClientConnection(Channel channel, Sequencer sequencer, int maxBuffer) {
        this.channel = channel;
        this.sequencer = sequencer;
        this.maxBuffer = maxBuffer;
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        this.remoteIp = remote.getAddress().getHostAddress();
        this.remoteAddress = remote.toString();
        this.state = new ConnectionState(remoteIp);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
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

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FrameDecoder.FourLetterWord word) {
            handshakeReceived = true;
            submit(Request.fourLetterWord(this, word.word()));
            return;
        }
        ByteBuf frame = (ByteBuf) msg;
        try {
            Request request = decode(frame);
            if (request != null) {
                submit(request);
            }
        } finally {
            frame.release();
        }
    }

    private Request decode(ByteBuf frame) {
        if (inputClosed) {
            return null;
        }
        JuteInput in = new JuteInput(frame, maxBuffer);
        if (!handshakeReceived) {
            try {
                ConnectRequest connect = ConnectRequest.read(in);
                handshakeReceived = true;
                return Request.connect(this, connect);
            } catch (MarshallingException e) {
                closeNow("malformed ConnectRequest (" + e.getMessage() + ")");
                return null;
            }
        }
        if (frame.readableBytes() < 8) {
            closeNow("frame of " + frame.readableBytes() + " bytes is too short for a request header");
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

    private void closeNow(String reason) {
        log.warn("Closing connection from {}: {}", remoteAddress, reason);
        inputClosed = true;
        closing = true;
        ctx.close();
    }

    private void submit(Request request) {
        if (stalled.isEmpty() && sequencer.offer(request)) {
            return;
        }
        stalled.addLast(request);
        if (stalled.size() == 1) {
            updateAutoRead();
            scheduleRetry();
        }
    }

    private void scheduleRetry() {
        ctx.executor().schedule(this::retryStalled, RETRY_MICROS, TimeUnit.MICROSECONDS);
    }

    private void retryStalled() {
        while (!stalled.isEmpty()) {
            if (!sequencer.offer(stalled.peekFirst())) {
                scheduleRetry();
                return;
            }
            stalled.pollFirst();
        }
        updateAutoRead();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateAutoRead();
        ctx.fireChannelWritabilityChanged();
    }

    /** Read from the socket only while the sequencer takes our requests and the client takes our replies. */
    private void updateAutoRead() {
        boolean read = stalled.isEmpty() && channel.isWritable();
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
        submit(Request.disconnected(this));
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
        if (!outbound.offer(message)) {
            overflowed = true;
        }
    }

    @Override
    public void flush() {
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
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

    /** Writes everything queued by the sequencer, with one flush. Event loop only. */
    private void drain() {
        drainScheduled.set(false);
        if (overflowed) {
            if (!closing) {
                closeNow("client does not read its replies (" + MAX_QUEUED_OUTBOUND + " queued)");
            }
            outbound.clear();
            return;
        }
        ByteBuf out = null;
        Outbound message;
        while ((message = outbound.poll()) != null) {
            if (closing) {
                continue;
            }
            if (out == null) {
                out = ctx.alloc().ioBuffer(256);
            }
            OutboundEncoder.encode(message, out);
            if (message instanceof Outbound.Close close) {
                log.debug("Closing connection from {}: {}", remoteAddress, close.reason());
                closing = true;
            }
        }
        if (out == null) {
            return;
        }
        if (closing) {
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            outbound.clear();
        } else if (out.isReadable()) {
            ctx.writeAndFlush(out, ctx.voidPromise());
        } else {
            out.release();
        }
    }
}
