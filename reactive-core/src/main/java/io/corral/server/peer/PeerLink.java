package io.corral.server.peer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import org.jctools.queues.SpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One TCP connection to another server, after the length framing: checks the hello, decodes messages on the event
 * loop and hands them to the sequencer's bounded inbox (stopping reads while it is full), and writes what the
 * sequencer queued for this peer. Anything malformed closes the link with a log line; nothing reaches the protocol.
 */
final class PeerLink extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(PeerLink.class);
    private static final long RETRY_MICROS = 200;
    static final int MAX_QUEUED_OUTBOUND = 1 << 15;

    private final PeerTransport transport;
    private final Channel channel;
    /** The peer this side dialed, or -1 on the accepting side (learned from the hello). */
    private final long dialed;
    private final long id;
    private final SpscArrayQueue<byte[]> outbound = new SpscArrayQueue<>(MAX_QUEUED_OUTBOUND);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** bytes of the messages in {@link #outbound}: added by the sequencer thread, taken off by the event loop */
    private final LongAdder queuedBytes = new LongAdder();
    private final ArrayDeque<PeerEvent> stalled = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private long peer = -1;
    private boolean attached;
    /** the quorum SASL exchange under way between the hellos and the first message, or null (event loop only) */
    private PeerAuthentication authentication;
    /** frames that came after the authentication succeeded, before this side attached (at most one read's worth) */
    private final ArrayDeque<ByteBuf> heldUntilAttached = new ArrayDeque<>();
    /** a message did not fit: the link is closing (sequencer thread only) */
    private boolean refused;

    PeerLink(PeerTransport transport, Channel channel, long dialed, long id) {
        this.transport = transport;
        this.channel = channel;
        this.dialed = dialed;
        this.id = id;
    }

    long peer() {
        return peer;
    }

    /** Whether the hellos were exchanged: the peer took this link (event loop only). */
    boolean attached() {
        return attached;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (dialed >= 0) {
            // the dialing server is the learner of the link: it says whether it will authenticate
            sendHello(dialed, transport.sasl().learnerRequired());
        }
        channel.config().setAutoRead(true);
    }

    /** A hello; with quorum SASL on, version 2 with the flag {@code sasl}; without it, version 1 as before. */
    private void sendHello(long receiver, boolean sasl) {
        ByteBuf buf = ctx.alloc().buffer(4 + Hello.SIZE + 4);
        (transport.sasl().enabled()
                ? new Hello(Hello.VERSION_WITH_FLAGS, transport.myId(), receiver, sasl ? Hello.SASL : 0)
                : new Hello(Hello.VERSION, transport.myId(), receiver)).writeTo(buf);
        ctx.writeAndFlush(buf);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (!attached) {
                if (authentication != null && authentication.succeeded()) {
                    // the peer attached on its success and may send at once: kept until this side attaches too
                    heldUntilAttached.addLast(frame.retain());
                } else if (authentication != null) {
                    authentication.receive(frame);
                } else {
                    greet(frame);
                }
                return;
            }
            deliver(frame);
        } finally {
            frame.release();
        }
    }

    private void deliver(ByteBuf frame) {
        Object message;
        try {
            message = transport.decoder().decode(frame);
        } catch (RuntimeException e) {
            close("undecodable message (" + e.getMessage() + ")");
            return;
        }
        emit(new PeerEvent.Received(peer, id, message));
    }

    private void greet(ByteBuf frame) {
        Hello hello = Hello.parse(frame);
        if (hello == null) {
            close("the first frame is not a Corral peer hello");
            return;
        }
        if (hello.version() != Hello.VERSION && hello.version() != Hello.VERSION_WITH_FLAGS) {
            close("peer protocol version " + hello.version() + ", this server speaks " + Hello.VERSION);
            return;
        }
        if (hello.receiver() != transport.myId()) {
            close("hello addressed to server " + hello.receiver() + ", this is server " + transport.myId());
            return;
        }
        if (dialed < 0 && transport.askedToDial(hello.sender())) {
            log.debug("Server {} at {} asks to be dialed", hello.sender(), channel.remoteAddress());
            channel.close();
            return;
        }
        String refusal = dialed >= 0 ? (hello.sender() == dialed ? null : "expected server " + dialed)
                : transport.acceptable(hello.sender());
        if (refusal != null) {
            close("hello from server " + hello.sender() + " refused: " + refusal);
            return;
        }
        peer = hello.sender();
        QuorumSasl sasl = transport.sasl();
        if (dialed < 0) {
            if (hello.sasl() && !sasl.enabled()) {
                close("server " + peer + " authenticates with quorum SASL, which is off here (quorum.auth.enableSasl)");
                return;
            }
            if (!hello.sasl() && sasl.serverRequired()) {
                close("server " + peer + " did not authenticate with quorum SASL and quorum.auth.serverRequireSasl="
                        + "true here");
                return;
            }
            sendHello(peer, sasl.enabled());
            if (hello.sasl()) {
                authentication = PeerAuthentication.accepting(this, sasl);
                return;
            }
        } else if (sasl.learnerRequired()) {
            if (!hello.sasl()) {
                close("server " + peer + " does not take quorum SASL (quorum.auth.enableSasl is off there) and "
                        + "quorum.auth.learnerRequireSasl=true here");
                return;
            }
            authentication = PeerAuthentication.dialing(this, sasl);
            return;
        }
        attach();
    }

    /** The link is the peer's: it replaces any older one, and the sequencer hears of it. */
    void attach() {
        authentication = null;
        attached = true;
        transport.attach(this);
        emit(new PeerEvent.Connected(peer, id));
        ByteBuf held;
        while ((held = heldUntilAttached.pollFirst()) != null) {
            try {
                deliver(held);
            } finally {
                held.release();
            }
        }
        if (stalled.isEmpty()) {
            channel.config().setAutoRead(true);
        }
    }

    /** Writes a frame of the authentication exchange (event loop only). */
    void write(QuorumSasl.Frame frame) {
        ctx.writeAndFlush(frame.encode(ctx.alloc()));
    }

    Channel channel() {
        return channel;
    }

    private void emit(PeerEvent event) {
        if (stalled.isEmpty() && transport.deliver(event)) {
            return;
        }
        stalled.addLast(event);
        if (stalled.size() == 1) {
            channel.config().setAutoRead(false);
            ctx.executor().schedule(this::retryStalled, RETRY_MICROS, TimeUnit.MICROSECONDS);
        }
    }

    private void retryStalled() {
        while (!stalled.isEmpty()) {
            if (!transport.deliver(stalled.peekFirst())) {
                ctx.executor().schedule(this::retryStalled, RETRY_MICROS, TimeUnit.MICROSECONDS);
                return;
            }
            stalled.pollFirst();
        }
        if (channel.isActive()) {
            channel.config().setAutoRead(true);
        }
    }

    /**
     * Queues a message for the peer; called on the sequencer thread only. False (and the link closes) when full, and
     * for every message after that one: the queue drains while the close is on its way, and a later message must not
     * reach the peer when an earlier one was lost (the protocol counts on a lost message coming with a lost link).
     */
    boolean send(byte[] message) {
        if (refused) {
            return false;
        }
        if (!outbound.offer(message)) {
            refused = true;
            channel.eventLoop().execute(() -> close(MAX_QUEUED_OUTBOUND + " messages queued: the peer is not reading"));
            return false;
        }
        queuedBytes.add(message.length);
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
        return true;
    }

    /** Where the peer is, and what waits for it (any thread: the figures of the moment). */
    PeerLinkStatus status() {
        return new PeerLinkStatus(String.valueOf(channel.remoteAddress()), outbound.size(), queuedBytes.sum());
    }

    private void drain() {
        drainScheduled.set(false);
        if (!channel.isActive()) {
            outbound.clear();
            return;
        }
        boolean wrote = false;
        byte[] message;
        while (channel.isWritable() && (message = outbound.poll()) != null) {
            queuedBytes.add(-message.length);
            ByteBuf buf = ctx.alloc().buffer(4 + message.length);
            buf.writeInt(message.length).writeBytes(message);
            ctx.write(buf);
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable() && !outbound.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            // after the loop's next round of I/O, not from inside Netty's flush (see ClientConnection)
            ctx.executor().schedule(this::drain, 0, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        heldUntilAttached.forEach(ByteBuf::release);
        heldUntilAttached.clear();
        if (attached) {
            transport.detach(this);
            emit(new PeerEvent.Disconnected(peer, id));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            close("frame too long (" + cause.getMessage() + ")");
        } else {
            close(cause.toString());
        }
    }

    void close(String reason) {
        if (channel.isActive()) {
            log.warn("Closing peer link {} to {} (server {}): {}", id, channel.remoteAddress(),
                    peer >= 0 ? peer : dialed >= 0 ? dialed : "unknown", reason);
            channel.close();
        }
    }
}
