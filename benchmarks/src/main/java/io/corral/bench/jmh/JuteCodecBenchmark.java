package io.corral.bench.jmh;

import io.corral.protocol.Acl;
import io.corral.protocol.CreateMode;
import io.corral.protocol.CreateRequest;
import io.corral.protocol.GetDataResponse;
import io.corral.protocol.JuteInput;
import io.corral.protocol.JuteOutput;
import io.corral.protocol.ReplyHeader;
import io.corral.protocol.SetDataRequest;
import io.corral.protocol.Stat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The jute codec on the hot path: decoding the requests a client sends (create, setData) and encoding the replies
 * the server writes (ReplyHeader, getData's data + Stat). Buffers are heap buffers reused across invocations, so
 * the figures are the codec's own cost, not the allocator's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JuteCodecBenchmark {
    private static final int MAX_BUFFER = 0xFFFFF;

    private CreateRequest createRequest;
    private SetDataRequest setDataRequest;
    private GetDataResponse getDataResponse;
    private ReplyHeader replyHeader;

    private ByteBuf out;
    private ByteBuf encodedCreate;
    private ByteBuf encodedSetData;
    private ByteBuf encodedGetData;
    private ByteBuf encodedHeader;

    @Setup
    public void setup() {
        byte[] data = new byte[100];
        Arrays.fill(data, (byte) 'x');
        createRequest = new CreateRequest("/corral-bench/locks/lock-0000000042", data, Acl.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT.flag(), -1);
        setDataRequest = new SetDataRequest("/corral-bench/config/service-a", data, -1);
        Stat stat = new Stat(0x1_0000_0001L, 0x1_0000_0bb8L, 1_700_000_000_000L, 1_700_000_123_456L, 7, 0, 0, 0,
                data.length, 0, 0x1_0000_0001L);
        getDataResponse = new GetDataResponse(data, stat);
        replyHeader = new ReplyHeader(42, 0x1_0000_0bb8L, 0);

        out = Unpooled.buffer(512);
        encodedCreate = encode(createRequest::write);
        encodedSetData = encode(setDataRequest::write);
        encodedGetData = encode(getDataResponse::write);
        encodedHeader = encode(replyHeader::write);
    }

    private interface Body {
        void write(JuteOutput out);
    }

    private static ByteBuf encode(Body body) {
        ByteBuf buf = Unpooled.buffer(256);
        body.write(new JuteOutput(buf));
        return buf;
    }

    @Benchmark
    public ByteBuf encodeCreateRequest() {
        out.clear();
        createRequest.write(new JuteOutput(out));
        return out;
    }

    @Benchmark
    public CreateRequest decodeCreateRequest() {
        encodedCreate.readerIndex(0);
        return CreateRequest.read(new JuteInput(encodedCreate, MAX_BUFFER), false);
    }

    @Benchmark
    public ByteBuf encodeSetDataRequest() {
        out.clear();
        setDataRequest.write(new JuteOutput(out));
        return out;
    }

    @Benchmark
    public SetDataRequest decodeSetDataRequest() {
        encodedSetData.readerIndex(0);
        return SetDataRequest.read(new JuteInput(encodedSetData, MAX_BUFFER));
    }

    /** What the server writes for a getData: header, then data and Stat. */
    @Benchmark
    public ByteBuf encodeGetDataReply() {
        out.clear();
        JuteOutput jute = new JuteOutput(out);
        replyHeader.write(jute);
        getDataResponse.write(jute);
        return out;
    }

    @Benchmark
    public GetDataResponse decodeGetDataResponse() {
        encodedGetData.readerIndex(0);
        return GetDataResponse.read(new JuteInput(encodedGetData, MAX_BUFFER));
    }

    @Benchmark
    public ByteBuf encodeReplyHeader() {
        out.clear();
        replyHeader.write(new JuteOutput(out));
        return out;
    }

    @Benchmark
    public ReplyHeader decodeReplyHeader() {
        encodedHeader.readerIndex(0);
        return ReplyHeader.read(new JuteInput(encodedHeader, MAX_BUFFER));
    }
}
