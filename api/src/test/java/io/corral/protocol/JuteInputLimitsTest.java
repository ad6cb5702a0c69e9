package io.corral.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Hostile lengths: every inner length of a record is checked against jute.maxbuffer and against the bytes left in the
 * frame before anything is allocated, so a lie costs a MarshallingException, never a huge array or list.
 */
class JuteInputLimitsTest {
    private static final int MAX_BUFFER = 1_048_575;
    /** Far below any array a lying length could ask for. */
    private static final long ALLOCATION_BUDGET = 512 * 1024;

    private static ByteBuf ints(int... values) {
        ByteBuf buf = Unpooled.buffer();
        for (int v : values) {
            buf.writeInt(v);
        }
        return buf;
    }

    /** Reads with the given limit, expecting a MarshallingException, and checks how much the thread allocated. */
    private static void assertRejectedCheaply(ByteBuf buf, int maxBuffer, Function<JuteInput, ?> reader) {
        JuteInput in = new JuteInput(buf, maxBuffer);
        // warm up the code path so that class loading does not count against the budget
        try {
            reader.apply(new JuteInput(buf.duplicate(), maxBuffer));
        } catch (MarshallingException expected) {
            // expected
        }
        long before = allocatedBytes();
        assertThatThrownBy(() -> reader.apply(in)).isInstanceOf(MarshallingException.class);
        long allocated = allocatedBytes() - before;
        if (before >= 0) {
            assertThat(allocated).as("bytes allocated while rejecting").isLessThan(ALLOCATION_BUDGET);
        }
    }

    private static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled()) {
            return bean.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }

    @Test
    void bufferLengthAboveMaxBufferIsRejectedEvenWhenTheBytesAreThere() {
        ByteBuf buf = Unpooled.buffer().writeInt(MAX_BUFFER + 1).writeZero(MAX_BUFFER + 1);
        assertThatThrownBy(() -> new JuteInput(buf, MAX_BUFFER).readBuffer())
                .isInstanceOf(MarshallingException.class).hasMessageContaining("invalid length");
        // exactly maxBuffer is fine
        ByteBuf ok = Unpooled.buffer().writeInt(MAX_BUFFER).writeZero(MAX_BUFFER);
        assertThat(new JuteInput(ok, MAX_BUFFER).readBuffer()).hasSize(MAX_BUFFER);
    }

    @Test
    void hugeLengthsAreRejectedWithoutAllocating() {
        assertRejectedCheaply(ints(Integer.MAX_VALUE), MAX_BUFFER, JuteInput::readBuffer);
        assertRejectedCheaply(ints(Integer.MAX_VALUE), MAX_BUFFER, JuteInput::readString);
        // even with no limit configured, the bytes left in the frame bound the allocation
        assertRejectedCheaply(ints(Integer.MAX_VALUE - 8, 1, 2), Integer.MAX_VALUE, JuteInput::readBuffer);
        assertRejectedCheaply(ints(Integer.MAX_VALUE - 8, 1, 2), Integer.MAX_VALUE, JuteInput::readString);
    }

    @Test
    void lengthLongerThanTheRemainingBytesIsRejected() {
        ByteBuf buf = Unpooled.buffer().writeInt(10).writeBytes(new byte[9]);
        assertThatThrownBy(() -> new JuteInput(buf, MAX_BUFFER).readBuffer())
                .isInstanceOf(MarshallingException.class).hasMessageContaining("truncated");
        ByteBuf str = Unpooled.buffer().writeInt(5).writeBytes("abcd".getBytes());
        assertThatThrownBy(() -> new JuteInput(str, MAX_BUFFER).readString())
                .isInstanceOf(MarshallingException.class);
        assertRejectedCheaply(ints(MAX_BUFFER, 0), MAX_BUFFER, JuteInput::readBuffer);
    }

    @Test
    void negativeLengthsOtherThanMinusOneAreRejected() {
        for (int len : new int[] {-2, -5, Integer.MIN_VALUE}) {
            assertThatThrownBy(() -> new JuteInput(ints(len, 0, 0), MAX_BUFFER).readBuffer())
                    .isInstanceOf(MarshallingException.class);
            assertThatThrownBy(() -> new JuteInput(ints(len, 0, 0), MAX_BUFFER).readString())
                    .isInstanceOf(MarshallingException.class);
        }
        assertThat(new JuteInput(ints(-1), MAX_BUFFER).readBuffer()).isNull();
        assertThat(new JuteInput(ints(-1), MAX_BUFFER).readString()).isNull();
        assertThat(new JuteInput(ints(0), MAX_BUFFER).readBuffer()).isEmpty();
        assertThat(new JuteInput(ints(0), MAX_BUFFER).readString()).isEmpty();
    }

    @Test
    void lyingVectorCountsAreRejectedWithoutAllocating() {
        // a count far beyond what the frame could hold, each element needing at least 4 bytes
        assertRejectedCheaply(ints(Integer.MAX_VALUE, 0, 0), MAX_BUFFER, JuteInput::readStringList);
        assertRejectedCheaply(ints(Integer.MAX_VALUE, 0, 0, 0), MAX_BUFFER, JuteInput::readAclList);
        // a count one larger than the elements present
        assertRejectedCheaply(ints(3, 0, 0), MAX_BUFFER, JuteInput::readStringList);
        // an ACL is at least 12 bytes (perms, scheme length, id length)
        assertRejectedCheaply(ints(2, 31, -1, -1, 31), MAX_BUFFER, JuteInput::readAclList);
    }

    @Test
    void lyingCountsInsideRecordsAreRejected() {
        // a SetWatches whose first vector claims 100 million paths
        ByteBuf setWatches = Unpooled.buffer().writeLong(0).writeInt(100_000_000).writeInt(0);
        assertRejectedCheaply(setWatches, MAX_BUFFER, in -> SetWatchesRequest.read(in, false));
        // a CreateRequest whose ACL vector lies
        ByteBuf create = Unpooled.buffer();
        new JuteOutput(create).writeString("/x").writeBuffer(null).writeInt(50_000_000).writeInt(0);
        assertRejectedCheaply(create, MAX_BUFFER, in -> CreateRequest.read(in, false));
        // a GetChildren2Response whose child name length lies
        ByteBuf children = Unpooled.buffer().writeInt(1).writeInt(1_000_000).writeZero(68);
        assertRejectedCheaply(children, MAX_BUFFER, GetChildren2Response::read);
    }

    @Test
    void negativeVectorCountsFollowTheReferenceReader() {
        assertThat(new JuteInput(ints(-1), MAX_BUFFER).readStringList()).isNull();
        assertThat(new JuteInput(ints(-1), MAX_BUFFER).readAclList()).isNull();
        assertThat(new JuteInput(ints(-7), MAX_BUFFER).readStringList()).isEmpty();
        assertThat(new JuteInput(ints(Integer.MIN_VALUE), MAX_BUFFER).readAclList()).isEmpty();
        assertThat(new JuteInput(ints(0), MAX_BUFFER).readStringList()).isEmpty();
        ByteBuf withNull = Unpooled.buffer();
        new JuteOutput(withNull).writeInt(2).writeString("a").writeString(null);
        assertThat(new JuteInput(withNull, MAX_BUFFER).readStringList()).containsExactly("a", null);
    }

    @Test
    void truncatedPrimitivesAreRejected() {
        assertThatThrownBy(() -> new JuteInput(Unpooled.buffer().writeShort(1), MAX_BUFFER).readInt())
                .isInstanceOf(MarshallingException.class);
        assertThatThrownBy(() -> new JuteInput(ints(1), MAX_BUFFER).readLong())
                .isInstanceOf(MarshallingException.class);
        assertThatThrownBy(() -> new JuteInput(Unpooled.EMPTY_BUFFER, MAX_BUFFER).readBool())
                .isInstanceOf(MarshallingException.class);
        // a Stat needs 68 bytes
        assertThatThrownBy(() -> Stat.read(new JuteInput(Unpooled.buffer().writeZero(67), MAX_BUFFER)))
                .isInstanceOf(MarshallingException.class);
        // a MultiRequest without its terminator
        ByteBuf multi = Unpooled.buffer();
        new JuteOutput(multi).writeInt(OpCode.DELETE).writeBool(false).writeInt(-1).writeString("/a").writeInt(-1);
        assertThatThrownBy(() -> MultiRequest.read(new JuteInput(multi, MAX_BUFFER)))
                .isInstanceOf(MarshallingException.class);
    }

    @Test
    void unknownMultiOpTypeIsAMarshallingError() {
        ByteBuf multi = Unpooled.buffer();
        new JuteOutput(multi).writeInt(OpCode.DELETE_CONTAINER).writeBool(false).writeInt(-1).writeString("/a");
        assertThatThrownBy(() -> MultiRequest.read(new JuteInput(multi, MAX_BUFFER)))
                .isInstanceOf(MarshallingException.class);
    }

    @Test
    void readBoolTreatsAnyNonZeroByteAsTrue() {
        assertThat(new JuteInput(Unpooled.wrappedBuffer(new byte[] {0, 1, 2, (byte) 0xff}), MAX_BUFFER))
                .satisfies(in -> assertThat(List.of(in.readBool(), in.readBool(), in.readBool(), in.readBool()))
                        .containsExactly(false, true, true, true));
    }
}
