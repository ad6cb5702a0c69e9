package io.corral.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stream frames decoded straight into a reader (as the client does, no StreamFrame or StreamChange made) give what
 * was encoded, in order; a path equal to the expected one is that very string, not a fresh copy.
 */
class StreamFrameCodecTest {
    private static final int MAX = 1 << 20;
    private static final Stat STAT = new Stat(5, 6, 7, 8, 1, 2, 3, 0, 3, 1, 9);

    private static final List<StreamChange> CHANGES = List.of(
            new StreamChange(EventType.NODE_CREATED, "/a/b", 0, 0x42, "abc".getBytes(StandardCharsets.UTF_8),
                    STAT, 0),
            new StreamChange(EventType.NODE_CHILDREN_CHANGED, "/a", -1, 0, null, STAT, 1),
            new StreamChange(EventType.NODE_DATA_CHANGED, "/a/é", 2, 0, new byte[0], STAT, 0));

    private static ByteBuf encode(StreamFrame frame) {
        ByteBuf buf = Unpooled.buffer();
        frame.write(new JuteOutput(buf));
        return buf;
    }

    @Test
    void aFrameReadsBackAsItWasWrittenWithAndWithoutStats() {
        StreamFrame withStat = new StreamFrame(7, ErrorCode.OK, 0x100000002L, 1234, false, CHANGES);
        assertThat(StreamFrame.read(new JuteInput(encode(withStat), MAX), true)).usingRecursiveComparison()
                .isEqualTo(withStat);
        // without the Stat the wire has no child delta either
        List<StreamChange> bare = CHANGES.stream()
                .map(c -> new StreamChange(c.type(), c.path(), c.version(), c.ephemeralOwner(), c.data())).toList();
        StreamFrame without = new StreamFrame(7, ErrorCode.OK, 0x100000002L, 1234, true, bare);
        assertThat(StreamFrame.read(new JuteInput(encode(without), MAX), false)).usingRecursiveComparison()
                .isEqualTo(without);
    }

    @Test
    void aReaderGetsTheHeadEachChangeInOrderAndTheEndAndReusesTheExpectedPath() {
        StreamFrame frame = new StreamFrame(3, ErrorCode.OK, 99, 1234, false, CHANGES);
        List<String> seen = new ArrayList<>();
        String expected = new String("/a/b"); // a distinct instance, equal to the first change's path
        List<String> paths = new ArrayList<>();
        StreamFrame.Reader<String> reader = new StreamFrame.Reader<>() {
            @Override
            public boolean head(int err, long zxid, long time, boolean snapshot, int count) {
                seen.add("head " + err + " " + zxid + " " + time + " " + snapshot + " " + count);
                return true;
            }

            @Override
            public String expectedPath() {
                return expected;
            }

            @Override
            public String decoded(int type, String path, int version, long ephemeralOwner, byte[] data, Stat stat,
                                  int childDelta) {
                paths.add(path);
                String s = type + " " + path + " " + version + " " + ephemeralOwner + " "
                        + (data == null ? "-" : new String(data, StandardCharsets.UTF_8)) + " " + stat + " "
                        + childDelta;
                seen.add(s);
                return s;
            }

            @Override
            public void endOfFrame() {
                seen.add("end");
            }
        };
        StreamFrame.read(new JuteInput(encode(frame), MAX), true, id -> id == 3 ? reader : null);

        assertThat(seen).containsExactly("head 0 99 1234 false 3",
                "1 /a/b 0 66 abc " + STAT + " 0",
                "4 /a -1 0 - " + STAT + " 1",
                "3 /a/é 2 0  " + STAT + " 0",
                "end");
        assertThat(paths.get(0)).isSameAs(expected);
        assertThat(paths.get(1)).isNotSameAs(expected);
    }

    @Test
    void aFrameOfNoRouteIsLeftUnreadAndAReaderThatSaysNoGetsNoChange() {
        StreamFrame frame = new StreamFrame(3, ErrorCode.OK, 99, 1234, false, CHANGES);
        List<String> seen = new ArrayList<>();
        StreamFrame.Reader<Object> refusing = new StreamFrame.Reader<>() {
            @Override
            public boolean head(int err, long zxid, long time, boolean snapshot, int count) {
                seen.add("head");
                return false;
            }

            @Override
            public Object decoded(int type, String path, int version, long ephemeralOwner, byte[] data, Stat stat,
                                  int childDelta) {
                seen.add("change");
                return null;
            }

            @Override
            public void endOfFrame() {
                seen.add("end");
            }
        };
        StreamFrame.read(new JuteInput(encode(frame), MAX), true, id -> null);
        StreamFrame.read(new JuteInput(encode(frame), MAX), true, id -> refusing);
        assertThat(seen).containsExactly("head");
    }

    @Test
    void aLyingChangeCountFailsBeforeAnyChangeIsRead() {
        ByteBuf buf = Unpooled.buffer();
        new JuteOutput(buf).writeInt(1).writeInt(0).writeLong(5).writeLong(6).writeBool(false).writeInt(-3);
        assertThatThrownBy(() -> StreamFrame.read(new JuteInput(buf, MAX), true))
                .isInstanceOf(MarshallingException.class);
    }

    @Test
    void readStringWithAnExpectedStringReturnsItOnlyWhenTheBytesAreEqual() {
        ByteBuf buf = Unpooled.buffer();
        JuteOutput out = new JuteOutput(buf);
        out.writeString("/svc/a").writeString("/svc/b").writeString("/svc/é").writeString(null);
        JuteInput in = new JuteInput(buf, MAX);
        String expected = new String("/svc/a");
        assertThat(in.readString(expected)).isSameAs(expected);
        assertThat(in.readString(expected)).isEqualTo("/svc/b").isNotSameAs(expected);
        String accented = new String("/svc/é");
        assertThat(in.readString(accented)).isEqualTo("/svc/é"); // not ASCII: decoded, never compared byte to char
        assertThat(in.readString(expected)).isNull();
    }
}
