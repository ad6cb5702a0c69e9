package io.corral.bench.jmh;

import io.corral.client.Change;
import io.corral.client.ClientOptions;
import io.corral.client.CorralClient;
import io.corral.client.WatchMode;
import io.corral.protocol.ConnectRequest;
import io.corral.protocol.ConnectResponse;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.EventType;
import io.corral.protocol.JuteInput;
import io.corral.protocol.JuteOutput;
import io.corral.protocol.OpCode;
import io.corral.protocol.Record;
import io.corral.protocol.ReplyHeader;
import io.corral.protocol.RequestHeader;
import io.corral.protocol.Stat;
import io.corral.protocol.StreamChange;
import io.corral.protocol.StreamFrame;
import io.corral.protocol.SubscribeRequest;
import io.corral.protocol.SubscribeResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client's cost per change of a resumable watch stream: Corral's reactive client, connected over loopback to a
 * stand-in server that answers the handshake and the subscribe and then writes stream frames (wire version 2, a Stat
 * per change, 100 B of data) of {@code changesPerFrame} changes each, one txn per frame. One invocation sends
 * frames of {@value #CHANGES} changes in all in one write and waits (spinning) until the subscriber has taken them;
 * an operation is one change delivered. The frames are encoded once, only their zxids patched per invocation, so what
 * is allocated per operation (JMH {@code -prof gc}: gc.alloc.rate.norm) is the client's reading, decoding and
 * dispatch into the Flux, plus the event loop's share of reading the socket.
 *
 * <pre>{@code java -jar benchmarks/target/benchmarks.jar StreamClientBenchmark -prof gc}</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class StreamClientBenchmark {
    static final int CHANGES = 1000;
    private static final int SUBSCRIPTION_UNKNOWN = -1;

    /** 1: a setData seen by a NODE stream (the fan-out case); 2: a create and its parent's child change. */
    @Param({"1", "2"})
    int changesPerFrame;

    private DisposableServer server;
    private CorralClient client;
    private final AtomicReference<Connection> connection = new AtomicReference<>();
    private volatile int subscription = SUBSCRIPTION_UNKNOWN;
    private final Counter counter = new Counter();
    /** The frames, length-prefixed, one after the other; {@link #zxidOffsets} says where each one's zxids are. */
    private ByteBuf frames;
    private int[][] zxidOffsets;
    private long zxid = 1;

    @Setup(Level.Trial)
    public void setup() {
        server = TcpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(c -> {
                    c.addHandlerLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4));
                    connection.set(c);
                })
                .handle((in, out) -> {
                    boolean[] handshake = {true}; // the connection's first frame is its ConnectRequest
                    return in.receive().asByteArray().concatMap(frame -> {
                        ByteBuf reply = answer(Unpooled.wrappedBuffer(frame), handshake[0]);
                        handshake[0] = false;
                        return reply == null ? Mono.<Void>empty() : out.send(Mono.just(reply)).then();
                    }).then();
                })
                .bindNow();
        client = CorralClient.connect("127.0.0.1:" + server.port(),
                ClientOptions.builder().sessionTimeout(Duration.ofSeconds(30)).build()).block(Duration.ofSeconds(30));
        client.watch("/bench", WatchMode.SUBTREE, 0).subscribe(counter);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (subscription == SUBSCRIPTION_UNKNOWN) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the client did not subscribe");
            }
            Thread.onSpinWait();
        }
        encodeFrames();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close().block(Duration.ofSeconds(10));
        server.disposeNow();
        frames.release();
    }

    @Benchmark
    @OperationsPerInvocation(CHANGES)
    public long deliver() {
        for (int[] offsets : zxidOffsets) {
            long z = zxid++;
            for (int offset : offsets) {
                frames.setLong(offset, z);
            }
        }
        long target = counter.received.get() + CHANGES;
        connection.get().channel().writeAndFlush(frames.retain().readerIndex(0));
        while (counter.received.get() < target) {
            Thread.onSpinWait();
        }
        return target;
    }

    /** The stand-in server's answer to a client frame: the handshake, a subscribe, a ping; null for the rest. */
    private ByteBuf answer(ByteBuf frame, boolean handshake) {
        JuteInput in = new JuteInput(frame, 1 << 20);
        if (handshake) {
            ConnectRequest request = ConnectRequest.read(in);
            return encode(new ConnectResponse(0, 30_000, 0x1234, new byte[16], false,
                    request.extensions() & ConnectRequest.CORRAL_STREAMS));
        }
        RequestHeader header = RequestHeader.read(in);
        if (header.type() == OpCode.CORRAL_SUBSCRIBE) {
            SubscribeRequest request = SubscribeRequest.read(in);
            subscription = request.subscription();
            return encode(new ReplyHeader(header.xid(), 0, ErrorCode.OK), new SubscribeResponse(0));
        }
        if (header.type() == OpCode.PING) {
            return encode(new ReplyHeader(header.xid(), 0, ErrorCode.OK));
        }
        return null;
    }

    private void encodeFrames() {
        byte[] data = new byte[100];
        Arrays.fill(data, (byte) 'x');
        frames = Unpooled.directBuffer();
        zxidOffsets = new int[CHANGES / changesPerFrame][];
        for (int i = 0; i < zxidOffsets.length; i++) {
            List<StreamChange> changes = new ArrayList<>();
            Stat stat = new Stat(1, 1, 1_700_000_000_000L, 1_700_000_000_000L, 0, 0, 0, 0, data.length, 0, 1);
            if (changesPerFrame == 1) {
                changes.add(new StreamChange(EventType.NODE_DATA_CHANGED, "/bench/service-a", 1, 0, data, stat, 0));
            } else {
                changes.add(new StreamChange(EventType.NODE_CREATED, "/bench/service-a/instance-0000000042", 0, 0,
                        data, stat, 0));
                changes.add(new StreamChange(EventType.NODE_CHILDREN_CHANGED, "/bench/service-a", -1, 0, null,
                        stat, 1));
            }
            int start = frames.writerIndex();
            frames.writeInt(0); // length, set below
            new ReplyHeader(StreamFrame.XID_WITH_STAT, 0, ErrorCode.OK).write(new JuteOutput(frames));
            int frameZxid = frames.writerIndex() + 8; // after the subscription id and err
            new StreamFrame(subscription, ErrorCode.OK, 0, 1_700_000_000_000L, false, changes)
                    .write(new JuteOutput(frames));
            frames.setInt(start, frames.writerIndex() - start - 4);
            zxidOffsets[i] = new int[] {start + 4 + 4, frameZxid}; // the header's zxid and the frame's
        }
    }

    private static ByteBuf encode(Record... records) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeInt(0);
        JuteOutput out = new JuteOutput(buf);
        for (Record r : records) {
            r.write(out);
        }
        buf.setInt(0, buf.writerIndex() - 4);
        return buf;
    }

    /** Takes every change as it comes and counts it; allocates nothing per change. */
    static final class Counter extends BaseSubscriber<Change> {
        final AtomicLong received = new AtomicLong();

        @Override
        protected void hookOnSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        protected void hookOnNext(Change change) {
            received.lazySet(received.get() + 1);
        }
    }
}
