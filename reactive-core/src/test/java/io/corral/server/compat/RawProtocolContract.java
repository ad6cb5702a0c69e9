package io.corral.server.compat;

import static io.corral.server.compat.RawConnection.input;
import static io.corral.server.compat.RawConnection.MAX_BUFFER;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.protocol.Acl;
import io.corral.server.compat.RawConnection.Reply;
import io.corral.protocol.ConnectRequest;
import io.corral.protocol.ConnectResponse;
import io.corral.protocol.CreateRequest;
import io.corral.protocol.CreateResponse;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.GetDataResponse;
import io.corral.protocol.JuteOutput;
import io.corral.protocol.OpCode;
import io.corral.protocol.PathWatchRequest;
import io.corral.protocol.ReplyHeader;
import io.corral.protocol.RequestHeader;
import io.corral.protocol.SetDataRequest;
import io.corral.protocol.StatResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hand-built frames on a plain socket: the handshake, malformed and hostile input, path validation, special xids,
 * reply zxids and four-letter words, each asserting what Apache ZooKeeper 3.9.5 does.
 */
public abstract class RawProtocolContract extends AbstractCompatContract {

    /** Commands enabled on every server of this contract; {@code dump} is deliberately left out. */
    protected static final String FOUR_LETTER_WHITELIST = "srvr,ruok,isro,conf,stat,mntr,cons,envi,wchs";

    /** tickTime 2000 gives the session timeout bounds [4000, 40000]. */
    protected static final Map<String, String> CONFIG = Map.of(
            "tickTime", "2000",
            "4lw.commands.whitelist", FOUR_LETTER_WHITELIST);

    @Override
    protected Map<String, String> serverConfig() {
        return CONFIG;
    }

    // ------------------------------------------------------------------------------------------------------------
    // handshake

    @Test
    void handshakeReturnsProtocolVersionZeroNegotiatedTimeoutSessionAndPassword() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.sendConnect(10_000, false);
            ByteBuf frame = c.readFrame();
            assertThat(frame.readableBytes()).isEqualTo(37);
            ConnectResponse response = ConnectResponse.read(input(frame));
            assertThat(response.protocolVersion()).isZero();
            assertThat(response.timeOut()).isEqualTo(10_000);
            assertThat(response.sessionId()).isNotZero();
            assertThat(response.passwd()).hasSize(16);
            assertThat(response.readOnly()).isFalse();
        }
    }

    @Test
    void handshakeClampsTheRequestedTimeoutIntoTwoToTwentyTicks() throws IOException {
        assertThat(negotiatedTimeout(1_000)).isEqualTo(4_000);
        assertThat(negotiatedTimeout(0)).isEqualTo(4_000);
        assertThat(negotiatedTimeout(100_000)).isEqualTo(40_000);
        assertThat(negotiatedTimeout(12_345)).isEqualTo(12_345);
    }

    @Test
    void handshakeIgnoresTheProtocolVersionSentAndAnswersZero() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.send(out -> new ConnectRequest(5, 0, 10_000, 0, new byte[16], false).write(out));
            ConnectResponse response = ConnectResponse.read(input(c.readFrame()));
            assertThat(response.protocolVersion()).isZero();
            assertThat(response.sessionId()).isNotZero();
        }
    }

    @Test
    void connectWithoutTheReadOnlyByteGetsA36ByteResponseWithoutIt() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.send(out -> new ConnectRequest(0, 0, 10_000, 0, new byte[16], null).write(out));
            ByteBuf frame = c.readFrame();
            assertThat(frame.readableBytes()).isEqualTo(36);
            ConnectResponse response = ConnectResponse.read(input(frame));
            assertThat(response.readOnly()).isNull();
            assertThat(response.sessionId()).isNotZero();
            assertThat(response.passwd()).hasSize(16);
            // the session is usable
            c.sendRequest(1, OpCode.EXISTS, new PathWatchRequest("/", false));
            assertThat(c.readReply().header().err()).isEqualTo(ErrorCode.OK);
        }
    }

    @Test
    void newSessionIgnoresANullPassword() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.send(out -> new ConnectRequest(0, 0, 10_000, 0, null, false).write(out));
            ConnectResponse response = ConnectResponse.read(input(c.readFrame()));
            assertThat(response.sessionId()).isNotZero();
            assertThat(response.passwd()).hasSize(16);
        }
    }

    @Test
    void connectWithALastZxidFromTheFutureIsClosedWithoutReply() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.send(out -> new ConnectRequest(0, Long.MAX_VALUE / 2, 10_000, 0, new byte[16], false).write(out));
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void resumingAnUnknownSessionIsRejectedWithZeroTimeoutThenClosed() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.send(out -> new ConnectRequest(0, 0, 10_000, 0x0badc0ffeeL, new byte[16], false).write(out));
            ConnectResponse response = ConnectResponse.read(input(c.readFrame()));
            assertThat(response.timeOut()).isZero();
            assertThat(response.sessionId()).isZero();
            assertThat(response.passwd()).isEqualTo(new byte[16]);
            assertThat(response.readOnly()).isFalse();
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void requestsPipelinedBehindTheConnectRequestAreAnsweredInOrderAfterTheHandshake() throws IOException {
        try (RawConnection c = rawConnect()) {
            ByteBuf all = Unpooled.buffer();
            appendFrame(all, o -> new ConnectRequest(0, 0, 10_000, 0, new byte[16], false).write(o));
            appendFrame(all, o -> {
                new RequestHeader(1, OpCode.CREATE).write(o);
                new CreateRequest("/pipelined", null, Acl.OPEN_ACL_UNSAFE, 0, -1).write(o);
            });
            appendFrame(all, o -> {
                new RequestHeader(2, OpCode.EXISTS).write(o);
                new PathWatchRequest("/pipelined", false).write(o);
            });
            appendFrame(all, o -> {
                new RequestHeader(3, OpCode.GET_DATA).write(o);
                new PathWatchRequest("/nothing-here", false).write(o);
            });
            byte[] bytes = new byte[all.readableBytes()];
            all.readBytes(bytes);
            c.sendRaw(bytes);

            ConnectResponse response = ConnectResponse.read(input(c.readFrame()));
            assertThat(response.sessionId()).isNotZero();
            Reply create = c.readReply();
            assertThat(create.header().xid()).isEqualTo(1);
            assertThat(create.header().err()).isEqualTo(ErrorCode.OK);
            assertThat(CreateResponse.read(input(create.body())).path()).isEqualTo("/pipelined");
            Reply exists = c.readReply();
            assertThat(exists.header()).isEqualTo(new ReplyHeader(2, create.header().zxid(), ErrorCode.OK));
            assertThat(StatResponse.read(input(exists.body())).stat().czxid()).isEqualTo(create.header().zxid());
            assertThat(c.readReply().header()).isEqualTo(new ReplyHeader(3, create.header().zxid(), ErrorCode.NO_NODE));
        }
    }

    @Test
    void frameOfExactlyJuteMaxBufferIsAccepted() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            assertThat(c.create("/big", 0).header().err()).isEqualTo(ErrorCode.OK);
            String path = "/big";
            // header 8 + path 4+4 + data 4+n + version 4 = MAX_BUFFER
            int n = MAX_BUFFER - 8 - (4 + path.length()) - 4 - 4;
            byte[] data = new byte[n];
            c.send(o -> {
                new RequestHeader(11, OpCode.SET_DATA).write(o);
                new SetDataRequest(path, data, -1).write(o);
                assertThat(o.buffer().readableBytes()).isEqualTo(4 + MAX_BUFFER);
            });
            Reply reply = c.readReply();
            assertThat(reply.header().xid()).isEqualTo(11);
            assertThat(reply.header().err()).isEqualTo(ErrorCode.OK);
            assertThat(StatResponse.read(input(reply.body())).stat().dataLength()).isEqualTo(n);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // framing violations: close, nothing sent

    @Test
    void garbageFrameAsFirstFrameClosesWithoutReply() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.sendRaw(new byte[] {0, 0, 0, 5, (byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x42});
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void httpRequestAsFirstBytesClosesWithoutReply() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.sendRaw("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void negativeFrameLengthBeforeHandshakeClosesWithoutReply() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.sendRaw(intBytes(-5));
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void negativeFrameLengthAfterHandshakeClosesWithoutReply() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            c.sendRaw(intBytes(-1));
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void frameLengthAboveJuteMaxBufferBeforeHandshakeClosesWithoutReply() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.sendRaw(intBytes(MAX_BUFFER + 1));
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void frameLengthAboveJuteMaxBufferAfterHandshakeClosesWithoutReply() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            c.sendRaw(intBytes(MAX_BUFFER + 1));
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void zeroLengthFrameAfterHandshakeClosesWithoutReply() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            c.sendRaw(intBytes(0));
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void frameTooShortForARequestHeaderClosesWithoutReply() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            c.send(out -> out.writeInt(1)); // an xid, but no type
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void zeroLengthFrameBeforeHandshakeClosesWithoutReply() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.sendRaw(intBytes(0));
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void fourLetterWordAfterHandshakeIsAnOversizedLengthAndCloses() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            c.sendRaw("ruok".getBytes(StandardCharsets.US_ASCII));
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void requestHeaderAsFirstFrameIsReadAsATruncatedConnectRequestAndCloses() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.send(out -> new RequestHeader(1, OpCode.GET_DATA).write(out));
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void fullGetDataRequestAsFirstFrameClosesWithoutReply() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.send(out -> {
                new RequestHeader(1, OpCode.GET_DATA).write(out);
                new PathWatchRequest("/zookeeper/quota/and/a/long/enough/path/to/fill/a/connect/request", false)
                        .write(out);
            });
            c.assertClosedWithoutReply();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // undecodable records: MarshallingError, connection stays usable

    @Test
    void truncatedCreateRecordGetsMarshallingErrorAndTheConnectionStaysUsable() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            c.send(out -> {
                new RequestHeader(7, OpCode.CREATE).write(out);
                out.writeString("/truncated").writeInt(3); // data length 3, but no data, ACL, flags follow
            });
            Reply reply = c.readReply();
            assertThat(reply.header().xid()).isEqualTo(7);
            assertThat(reply.header().err()).isEqualTo(ErrorCode.MARSHALLING_ERROR);
            assertThat(reply.body().readableBytes()).isZero();

            c.sendRequest(8, OpCode.EXISTS, new PathWatchRequest("/", false));
            Reply next = c.readReply();
            assertThat(next.header().xid()).isEqualTo(8);
            assertThat(next.header().err()).isEqualTo(ErrorCode.OK);
            // and the truncated create created nothing
            c.sendRequest(9, OpCode.EXISTS, new PathWatchRequest("/truncated", false));
            assertThat(c.readReply().header().err()).isEqualTo(ErrorCode.NO_NODE);
        }
    }

    /** Unlike a create that decodes and then fails, an undecodable one never becomes a transaction. */
    @Test
    void truncatedCreateDoesNotConsumeAZxid() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            long before = c.create("/zx-trunc-a", CreateMode.PERSISTENT.toFlag()).header().zxid();
            c.send(out -> {
                new RequestHeader(2, OpCode.CREATE).write(out);
                out.writeString("/zx-trunc-b");
            });
            ReplyHeader failed = c.readReply().header();
            assertThat(failed.err()).isEqualTo(ErrorCode.MARSHALLING_ERROR);
            long after = c.create("/zx-trunc-c", CreateMode.PERSISTENT.toFlag()).header().zxid();
            assertThat(new long[] {failed.zxid(), after}).isEqualTo(new long[] {before, before + 1});
        }
    }

    @Test
    void truncatedReadRequestGetsMarshallingErrorAndTheConnectionStaysUsable() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            c.send(out -> {
                new RequestHeader(4, OpCode.EXISTS).write(out);
                out.writeString("/"); // the watch flag is missing
            });
            assertThat(c.readReply().header().err()).isEqualTo(ErrorCode.MARSHALLING_ERROR);
            c.sendRequest(5, OpCode.GET_DATA, new PathWatchRequest("/", false));
            assertThat(c.readReply().header()).extracting(ReplyHeader::xid, ReplyHeader::err)
                    .containsExactly(5, ErrorCode.OK);
        }
    }

    /** A multi is a transaction before its body is decoded: unlike a plain create, its decode failure costs a zxid. */
    @Test
    void multiWithAReadOperationGetsMarshallingErrorAndConsumesAZxid() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            long before = c.create("/multi-bad", 0).header().zxid();
            c.send(out -> {
                new RequestHeader(21, OpCode.MULTI).write(out);
                out.writeInt(OpCode.GET_DATA).writeBool(false).writeInt(-1);
                new PathWatchRequest("/multi-bad", false).write(out);
                out.writeInt(-1).writeBool(true).writeInt(-1);
            });
            Reply reply = c.readReply();
            assertThat(reply.header()).isEqualTo(new ReplyHeader(21, before + 1, ErrorCode.MARSHALLING_ERROR));
            assertThat(reply.body().readableBytes()).isZero();
            assertThat(c.create("/multi-bad-2", 0).header().zxid()).isEqualTo(before + 2);
        }
    }

    @Test
    void stringLengthLongerThanTheFrameGetsMarshallingError() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            c.send(out -> {
                new RequestHeader(3, OpCode.CREATE).write(out);
                out.writeInt(1_000); // claims a 1000-byte path
                out.buffer().writeBytes("/liar".getBytes(StandardCharsets.UTF_8));
                out.writeBuffer(null).writeAclList(Acl.OPEN_ACL_UNSAFE).writeInt(0);
            });
            Reply reply = c.readReply();
            assertThat(reply.header().xid()).isEqualTo(3);
            assertThat(reply.header().err()).isEqualTo(ErrorCode.MARSHALLING_ERROR);

            c.sendRequest(4, OpCode.EXISTS, new PathWatchRequest("/", false));
            assertThat(c.readReply().header().err()).isEqualTo(ErrorCode.OK);
        }
    }

    @Test
    void stringLengthAboveJuteMaxBufferGetsMarshallingError() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            c.send(out -> {
                new RequestHeader(3, OpCode.SET_DATA).write(out);
                out.writeInt(Integer.MAX_VALUE);
                out.buffer().writeBytes("/x".getBytes(StandardCharsets.UTF_8));
            });
            Reply reply = c.readReply();
            assertThat(reply.header().xid()).isEqualTo(3);
            assertThat(reply.header().err()).isEqualTo(ErrorCode.MARSHALLING_ERROR);

            c.sendRequest(4, OpCode.EXISTS, new PathWatchRequest("/", false));
            assertThat(c.readReply().header().err()).isEqualTo(ErrorCode.OK);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // unimplemented opcodes: -6, zxid -1, then close

    /** 999 and 10 are unknown; 0 is the notification type, never a request. */
    @ParameterizedTest
    @ValueSource(ints = {999, 10, 0, -99})
    void unknownOpcodeGetsUnimplementedWithZxidMinusOneThenClose(int opcode) throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            c.send(out -> new RequestHeader(5, opcode).write(out));
            Reply reply = c.readReply();
            assertThat(reply.header()).isEqualTo(new ReplyHeader(5, -1, ErrorCode.UNIMPLEMENTED));
            assertThat(reply.body().readableBytes()).isZero();
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void topLevelCheckGetsUnimplementedWithZxidMinusOneThenClose() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            c.send(out -> {
                new RequestHeader(6, OpCode.CHECK).write(out);
                out.writeString("/").writeInt(-1);
            });
            Reply reply = c.readReply();
            assertThat(reply.header()).isEqualTo(new ReplyHeader(6, -1, ErrorCode.UNIMPLEMENTED));
            c.assertClosedWithoutReply();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // special xids and zxids

    @Test
    void pingIsAnsweredWithXidMinusTwoWhateverXidItWasSentWith() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            c.sendRequest(1, OpCode.EXISTS, new PathWatchRequest("/", false));
            long lastZxid = c.readReply().header().zxid();

            c.send(out -> new RequestHeader(7, OpCode.PING).write(out));
            Reply ping = c.readReply();
            assertThat(ping.header()).isEqualTo(new ReplyHeader(-2, lastZxid, ErrorCode.OK));
            assertThat(ping.body().readableBytes()).isZero();

            c.send(out -> new RequestHeader(-2, OpCode.PING).write(out));
            assertThat(c.readReply().header()).isEqualTo(new ReplyHeader(-2, lastZxid, ErrorCode.OK));
        }
    }

    @Test
    void ordinaryXidsAreEchoedIncludingZeroAndNegative() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            for (int xid : new int[] {0, 12_345, -3}) {
                c.sendRequest(xid, OpCode.EXISTS, new PathWatchRequest("/", false));
                assertThat(c.readReply().header().xid()).isEqualTo(xid);
            }
        }
    }

    @Test
    void failedCreateConsumesAZxidAndReadsDoNot() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            Reply first = c.create("/zx-rule", CreateMode.PERSISTENT.toFlag());
            assertThat(first.header().err()).isEqualTo(ErrorCode.OK);
            long z = first.header().zxid();

            Reply exists = c.create("/zx-rule", CreateMode.PERSISTENT.toFlag());
            assertThat(exists.header()).isEqualTo(new ReplyHeader(exists.header().xid(), z + 1, ErrorCode.NODE_EXISTS));
            assertThat(exists.body().readableBytes()).isZero();

            c.sendRequest(50, OpCode.GET_DATA, new PathWatchRequest("/zx-rule", false));
            Reply read = c.readReply();
            assertThat(read.header()).isEqualTo(new ReplyHeader(50, z + 1, ErrorCode.OK));
            GetDataResponse data = GetDataResponse.read(input(read.body()));
            assertThat(data.stat().czxid()).isEqualTo(z);

            Reply second = c.create("/zx-rule-2", CreateMode.PERSISTENT.toFlag());
            assertThat(second.header().err()).isEqualTo(ErrorCode.OK);
            assertThat(second.header().zxid()).isEqualTo(z + 2);
            assertThat(CreateResponse.read(input(second.body())).path()).isEqualTo("/zx-rule-2");

            // other failing writes consume one too: bad create flags, missing parent, bad version
            assertThat(c.create("/zx-rule-3", 7).header()).extracting(ReplyHeader::zxid, ReplyHeader::err)
                    .containsExactly(z + 3, ErrorCode.BAD_ARGUMENTS);
            assertThat(c.create("/zx-missing/child", 0).header()).extracting(ReplyHeader::zxid, ReplyHeader::err)
                    .containsExactly(z + 4, ErrorCode.NO_NODE);
            c.sendRequest(51, OpCode.SET_DATA, new SetDataRequest("/zx-rule", null, 42));
            assertThat(c.readReply().header()).isEqualTo(new ReplyHeader(51, z + 5, ErrorCode.BAD_VERSION));
            assertThat(c.create("/zx-rule-4", 0).header()).extracting(ReplyHeader::zxid, ReplyHeader::err)
                    .containsExactly(z + 6, ErrorCode.OK);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // invalid paths sent raw (the Java client would refuse to send them)

    @Test
    void invalidPathsOnCreate() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            assertThat(c.create("/a", 0).header().err()).isEqualTo(ErrorCode.OK);
            Map<String, Integer> expected = new java.util.LinkedHashMap<>();
            expected.put("abc", ErrorCode.BAD_ARGUMENTS);          // no slash
            expected.put("", ErrorCode.BAD_ARGUMENTS);             // empty
            expected.put("/a/", ErrorCode.BAD_ARGUMENTS);          // trailing slash, parent /a exists
            expected.put("/nopar/x/", ErrorCode.NO_NODE);          // trailing slash, parent missing first
            expected.put("/a//b", ErrorCode.NO_NODE);              // parent "/a/" does not exist
            expected.put("/a/.", ErrorCode.BAD_ARGUMENTS);
            expected.put("/a/..", ErrorCode.BAD_ARGUMENTS);
            expected.put("/a\u0001", ErrorCode.BAD_ARGUMENTS);     // control character
            expected.put("/a\u0000", ErrorCode.BAD_ARGUMENTS);     // NUL
            expected.put("/a/\u0000b", ErrorCode.BAD_ARGUMENTS);
            assertErrors(expected, path -> c.create(path, CreateMode.PERSISTENT.toFlag()).header().err());
        }
    }

    @Test
    void sequentialCreateValidatesThePathAfterAppendingTheSuffix() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            assertThat(c.create("/seqslash", 0).header().err()).isEqualTo(ErrorCode.OK);
            Reply reply = c.create("/seqslash/", CreateMode.PERSISTENT_SEQUENTIAL.toFlag());
            assertThat(reply.header().err()).isEqualTo(ErrorCode.OK);
            assertThat(CreateResponse.read(input(reply.body())).path()).isEqualTo("/seqslash/0000000000");
        }
    }

    @Test
    void invalidPathsOnSetData() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            assertThat(c.create("/sd", 0).header().err()).isEqualTo(ErrorCode.OK);
            int[] xid = {100};
            assertErrors(badPaths("/sd", ErrorCode.BAD_ARGUMENTS), path -> {
                c.sendRequest(xid[0]++, OpCode.SET_DATA, new SetDataRequest(path, new byte[] {1}, -1));
                return c.readReply().header().err();
            });
        }
    }

    @Test
    void invalidPathsOnGetDataAreJustMissingNodes() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            assertThat(c.create("/gd", 0).header().err()).isEqualTo(ErrorCode.OK);
            int[] xid = {200};
            assertErrors(badPaths("/gd", ErrorCode.NO_NODE), path -> {
                c.sendRequest(xid[0]++, OpCode.GET_DATA, new PathWatchRequest(path, false));
                return c.readReply().header().err();
            });
        }
    }

    @Test
    void existsRejectsOnlyNul() throws IOException {
        try (RawConnection c = rawConnect()) {
            c.handshake();
            assertThat(c.create("/ex", 0).header().err()).isEqualTo(ErrorCode.OK);
            Map<String, Integer> expected = badPaths("/ex", ErrorCode.NO_NODE);
            expected.put("/ex\u0000", ErrorCode.BAD_ARGUMENTS);
            expected.put("/ex/\u0000", ErrorCode.BAD_ARGUMENTS);
            int[] xid = {300};
            assertErrors(expected, path -> {
                c.sendRequest(xid[0]++, OpCode.EXISTS, new PathWatchRequest(path, false));
                return c.readReply().header().err();
            });
        }
    }

    /** Syntactically invalid paths (without NUL) below an existing node {@code base}, all expecting {@code err}. */
    private static Map<String, Integer> badPaths(String base, int err) {
        Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        for (String path : List.of("abc", base + "/", base + "//b", base + "/.", base + "/..", base + "\u0001")) {
            expected.put(path, err);
        }
        return expected;
    }

    // ------------------------------------------------------------------------------------------------------------
    // four-letter words

    @Test
    void ruokAnswersImokThenCloses() throws IOException {
        assertThat(fourLetterWord("ruok")).isEqualTo("imok");
    }

    @Test
    void isroAnswersRw() throws IOException {
        assertThat(fourLetterWord("isro")).isEqualTo("rw");
    }

    @Test
    void srvrReportsStandaloneModeAndNodeCount() throws IOException {
        String srvr = fourLetterWord("srvr");
        assertThat(srvr).startsWith("Zookeeper version: ");
        List<String> lines = Arrays.asList(srvr.split("\n"));
        assertThat(lines).contains("Mode: standalone");
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("Node count: \\d+"));
    }

    @Test
    void knownButNotWhitelistedWordIsRefused() throws IOException {
        assertThat(fourLetterWord("dump")).isEqualTo("dump is not executed because it is not in the whitelist.\n");
    }

    // ------------------------------------------------------------------------------------------------------------
    // isolation

    @Test
    void badInputOnOtherConnectionsLeavesAGoodSessionUntouched() throws Exception {
        List<Watcher.Event.KeeperState> states = new CopyOnWriteArrayList<>();
        ZooKeeper zk = connect(event -> {
            if (event.getType() == Watcher.Event.EventType.None) {
                states.add(event.getState());
            }
        });
        long sessionId = zk.getSessionId();
        zk.create("/good", "before".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT);
        CountDownLatch changed = new CountDownLatch(1);
        zk.getData("/good", (WatchedEvent e) -> changed.countDown(), new Stat());

        try (RawConnection c = rawConnect()) {
            c.sendRaw(new byte[] {0, 0, 0, 3, 1, 2, 3});
            c.assertClosedWithoutReply();
        }
        try (RawConnection c = rawConnect()) {
            c.sendRaw(intBytes(-5));
            c.assertClosedWithoutReply();
        }
        try (RawConnection c = rawConnect()) {
            c.handshake();
            c.sendRaw(intBytes(MAX_BUFFER + 1));
            c.assertClosedWithoutReply();
        }
        try (RawConnection c = rawConnect()) {
            c.handshake();
            c.send(out -> {
                new RequestHeader(1, OpCode.CREATE).write(out);
                out.writeString("/good");
            });
            assertThat(c.readReply().header().err()).isEqualTo(ErrorCode.MARSHALLING_ERROR);
            c.send(out -> new RequestHeader(2, 999).write(out));
            assertThat(c.readReply().header().err()).isEqualTo(ErrorCode.UNIMPLEMENTED);
            c.assertClosedWithoutReply();
        }
        try (RawConnection c = rawConnect()) {
            c.handshake();
            c.sendRequest(1, OpCode.SET_DATA, new SetDataRequest("/good/", new byte[0], -1));
            assertThat(c.readReply().header().err()).isEqualTo(ErrorCode.BAD_ARGUMENTS);
        }

        Stat stat = new Stat();
        assertThat(new String(zk.getData("/good", false, stat), StandardCharsets.UTF_8)).isEqualTo("before");
        assertThat(stat.getVersion()).isZero();
        zk.setData("/good", "after".getBytes(StandardCharsets.UTF_8), 0);
        assertThat(changed.await(10, TimeUnit.SECONDS)).as("watch of the good session fired").isTrue();
        assertThat(zk.getSessionId()).isEqualTo(sessionId);
        assertThat(zk.getState()).isEqualTo(ZooKeeper.States.CONNECTED);
        assertThat(states).containsOnly(Watcher.Event.KeeperState.SyncConnected);
    }

    // ------------------------------------------------------------------------------------------------------------
    // helpers

    private interface PathCall {
        int err(String path) throws IOException;
    }

    private static void assertErrors(Map<String, Integer> expected, PathCall call) throws IOException {
        Map<String, String> actual = new java.util.LinkedHashMap<>();
        Map<String, String> wanted = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            String key = printable(e.getKey());
            wanted.put(key, ErrorCode.name(e.getValue()));
            actual.put(key, ErrorCode.name(call.err(e.getKey())));
        }
        assertThat(actual).isEqualTo(wanted);
    }

    private static String printable(String path) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : path.toCharArray()) {
            if (ch < 0x20) {
                sb.append(String.format("\\u%04x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.append('"').toString();
    }

    private int negotiatedTimeout(int requested) throws IOException {
        try (RawConnection c = rawConnect()) {
            c.sendConnect(requested, false);
            return ConnectResponse.read(input(c.readFrame())).timeOut();
        }
    }

    private String fourLetterWord(String word) throws IOException {
        try (RawConnection c = rawConnect()) {
            c.sendRaw(word.getBytes(StandardCharsets.US_ASCII));
            return new String(c.readToEnd(), StandardCharsets.UTF_8);
        }
    }

    private RawConnection rawConnect() throws IOException {
        String connect = server.connectString();
        int colon = connect.lastIndexOf(':');
        return new RawConnection(
                new InetSocketAddress(connect.substring(0, colon), Integer.parseInt(connect.substring(colon + 1))));
    }

    private static void appendFrame(ByteBuf all, RawConnection.Body body) {
        int lengthAt = all.writerIndex();
        all.writeInt(0);
        body.write(new JuteOutput(all));
        all.setInt(lengthAt, all.writerIndex() - lengthAt - 4);
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
