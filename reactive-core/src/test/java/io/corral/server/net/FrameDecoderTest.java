package io.corral.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private static final int MAX = 64;

    private final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX));

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    private static byte[] frame(String payload) {
        byte[] body = payload.getBytes(StandardCharsets.US_ASCII);
        return ByteBufUtil.getBytes(Unpooled.buffer().writeInt(body.length).writeBytes(body));
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuf all = Unpooled.buffer();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return ByteBufUtil.getBytes(all);
    }

    private void write(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    /** Every message decoded so far: payloads as strings, four-letter words as "4lw:word". */
    private List<String> decoded() {
        List<String> result = new ArrayList<>();
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            if (msg instanceof ByteBuf buf) {
                result.add(buf.toString(StandardCharsets.US_ASCII));
                buf.release();
            } else {
                result.add("4lw:" + ((FrameDecoder.FourLetterWord) msg).word());
            }
        }
        return result;
    }

    @Test
    void severalFramesInOneReadAreAllDecoded() {
        write(concat(frame("first"), frame("second"), frame("")));
        assertThat(decoded()).containsExactly("first", "second", "");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void framesSplitAcrossReadsAreReassembled() {
        byte[] bytes = concat(frame("hello"), frame("a somewhat longer frame"), frame("x"));
        List<String> all = new ArrayList<>();
        for (byte b : bytes) {
            write(new byte[] {b});
            all.addAll(decoded());
        }
        assertThat(all).containsExactly("hello", "a somewhat longer frame", "x");
    }

    @Test
    void aFrameSplitInsideItsLengthWaitsForTheRest() {
        byte[] bytes = frame("payload");
        write(new byte[] {bytes[0], bytes[1]});
        assertThat(decoded()).isEmpty();
        byte[] rest = new byte[bytes.length - 2];
        System.arraycopy(bytes, 2, rest, 0, rest.length);
        write(concat(rest, new byte[] {0, 0}));
        assertThat(decoded()).containsExactly("payload");
        write(new byte[] {0, 1, 'z'});
        assertThat(decoded()).containsExactly("z");
    }

    @Test
    void aFrameOfExactlyTheLimitIsAccepted() {
        String max = "m".repeat(MAX);
        write(frame(max));
        assertThat(decoded()).containsExactly(max);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aFourLetterWordAsTheFirstFourBytesIsPassedOnAndTheRestIgnored() {
        write("ruokand more bytes".getBytes(StandardCharsets.US_ASCII));
        assertThat(decoded()).containsExactly("4lw:ruok");
        write(frame("ignored"));
        assertThat(decoded()).isEmpty();
    }

    @Test
    void aFourLetterWordSplitAcrossReads() {
        write("sr".getBytes(StandardCharsets.US_ASCII));
        assertThat(decoded()).isEmpty();
        write("vr".getBytes(StandardCharsets.US_ASCII));
        assertThat(decoded()).containsExactly("4lw:srvr");
    }

    @Test
    void aFourLetterWordAfterTheFirstFrameIsAnOversizedLengthAndCloses() {
        write(frame("connect"));
        assertThat(decoded()).containsExactly("connect");
        write("ruok".getBytes(StandardCharsets.US_ASCII));
        assertThat(decoded()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aFourLetterWordInsideTheFirstReadButAfterTheFirstFrameIsNotAWord() {
        write(concat(frame("connect"), "stat".getBytes(StandardCharsets.US_ASCII)));
        assertThat(decoded()).containsExactly("connect");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anUnknownWordIsJustAnOversizedLength() {
        write("abcd".getBytes(StandardCharsets.US_ASCII));
        assertThat(decoded()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aNegativeLengthClosesTheChannel() {
        write(ByteBufUtil.getBytes(Unpooled.buffer().writeInt(-5)));
        assertThat(decoded()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aNegativeLengthAfterGoodFramesClosesAndDropsEverythingBehindIt() {
        write(concat(frame("ok"), ByteBufUtil.getBytes(Unpooled.buffer().writeInt(-1)), frame("after")));
        assertThat(decoded()).containsExactly("ok");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aLengthAboveTheLimitClosesWithoutWaitingForThePayload() {
        write(ByteBufUtil.getBytes(Unpooled.buffer().writeInt(MAX + 1)));
        assertThat(decoded()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anOversizedLengthAfterTheHandshakeCloses() {
        write(frame("connect"));
        write(ByteBufUtil.getBytes(Unpooled.buffer().writeInt(Integer.MAX_VALUE).writeInt(1)));
        assertThat(decoded()).containsExactly("connect");
        assertThat(channel.isOpen()).isFalse();
    }
}
