package io.corral.server.zab;

import io.corral.log.LogEntry;
import io.corral.server.zab.ZabMessage.Vote;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class ZabCodecTest {

    private final ZabCodec codec = new ZabCodec(1 << 20);

    private static final LogEntry ENTRY = new LogEntry(Zxid.make(3, 7), 0x1234L, 42, 1_700_000_000_000L, 5,
            new byte[] {1, 2, 3, 4, 5});

    /** one of every message, with non-trivial fields */
    static List<ZabMessage> samples() {
        return List.of(
                new Vote(7, 3, Zxid.make(2, 9), 2, Role.LOOKING),
                new Vote(1, 1, 0, 0, Role.OBSERVING),
                new ZabMessage.FollowerInfo(-5L, 3, Zxid.make(3, 1)),
                new ZabMessage.ObserverInfo(Long.MAX_VALUE, 0, 0),
                new ZabMessage.LeaderInfo(99, 4),
                new ZabMessage.AckEpoch(4, 3, Zxid.make(3, 2), Zxid.make(3, 1),
                        new long[] {Zxid.make(1, 5), Zxid.make(3, 2)}),
                new ZabMessage.AckEpoch(4, 0, 0, 0, new long[0]),
                new ZabMessage.Diff(Zxid.make(3, 2)),
                new ZabMessage.Trunc(Zxid.make(1, 5)),
                new ZabMessage.Snap(Zxid.make(3, 2), 3),
                new ZabMessage.Snap(0, 0),
                new ZabMessage.SnapChunk(new byte[] {9, 8, 7}),
                new ZabMessage.SnapChunk(new byte[0]),
                new ZabMessage.SyncAck(Zxid.make(3, 2), 1 << 20),
                new ZabMessage.NewLeader(4, Zxid.make(3, 2)),
                new ZabMessage.AckNewLeader(4, Zxid.make(3, 2)),
                new ZabMessage.UpToDate(4, Zxid.make(3, 2)),
                new ZabMessage.Proposal(ENTRY),
                new ZabMessage.Ack(Zxid.make(4, 1)),
                new ZabMessage.Commit(Zxid.make(4, 1)),
                new ZabMessage.Inform(new LogEntry(1, 0, 0, 0, 0, new byte[0])),
                new ZabMessage.Ping(4, Zxid.make(4, 1), 17),
                new ZabMessage.Handover(4, 3, Zxid.make(4, 9)),
                new ZabMessage.HandoverInfo(-5L, 4, Zxid.make(4, 8)),
                new ZabMessage.HandoverSync(-5L, 7, Zxid.make(4, 8)),
                new ZabMessage.SnapMembership(new Membership(Zxid.make(3, 2), Set.of(1L, 2L, 4L), Set.of(5L))),
                new ZabMessage.ConfigNotice(new Membership(0, Set.of(7L), Set.of()), null),
                new ZabMessage.ConfigNotice(new Membership(0, Set.of(7L), Set.of()),
                        new Membership(9, Set.of(7L, 8L), Set.of(1L))),
                new ZabMessage.App(2, new byte[] {42}));
    }

    @Test
    void everyMessageRoundTrips() {
        for (ZabMessage m : samples()) {
            assertThat(codec.decode(codec.encode(m))).as("%s", m).isEqualTo(m);
        }
    }

    @Test
    void decodingReadsFromAByteBufferPosition() {
        byte[] encoded = codec.encode(new ZabMessage.Ack(77));
        ByteBuffer b = ByteBuffer.allocate(encoded.length + 3);
        b.put(new byte[3]).put(encoded).position(3);
        assertThat(codec.decode(b)).isEqualTo(new ZabMessage.Ack(77));
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void everyTruncationOfAValidEncodingIsMalformed() {
        for (ZabMessage m : samples()) {
            byte[] encoded = codec.encode(m);
            for (int len = 0; len < encoded.length; len++) {
                byte[] cut = Arrays.copyOf(encoded, len);
                assertThatThrownBy(() -> codec.decode(cut)).as("%s cut to %d bytes", m, len)
                        .isInstanceOf(MalformedMessageException.class);
            }
        }
    }

    @Test
    void trailingBytesAreMalformed() {
        byte[] encoded = codec.encode(new ZabMessage.Commit(5));
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
        assertThatThrownBy(() -> codec.decode(longer)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("trailing");
    }

    @Test
    void hugeDeclaredLengthsAreRejectedWithoutAllocating() {
        // a snapshot chunk that claims 2 GB in a 5-byte message
        ByteBuffer b = ByteBuffer.allocate(5).put((byte) 18).putInt(Integer.MAX_VALUE);
        assertThatThrownBy(() -> codec.decode(b.array())).isInstanceOf(MalformedMessageException.class);
        ByteBuffer negative = ByteBuffer.allocate(5).put((byte) 18).putInt(-1);
        assertThatThrownBy(() -> codec.decode(negative.array())).isInstanceOf(MalformedMessageException.class);
        // an AckEpoch claiming 2^28 epoch ends
        ByteBuffer ends = ByteBuffer.allocate(37).put((byte) 5).putLong(1).putLong(1).putLong(1).putLong(1)
                .putInt(1 << 28);
        assertThatThrownBy(() -> codec.decode(ends.array())).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void oversizedInputIsMalformedAndOversizedOutputRefused() {
        ZabCodec small = new ZabCodec(100);
        assertThatThrownBy(() -> small.decode(new byte[101])).isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> small.encode(new ZabMessage.SnapChunk(new byte[100])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownTypesAndRolesAreMalformed() {
        assertThatThrownBy(() -> codec.decode(new byte[] {0})).isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 200})).isInstanceOf(MalformedMessageException.class);
        byte[] vote = codec.encode(new Vote(1, 1, 1, 1, Role.LEADING));
        vote[vote.length - 1] = 9;
        assertThatThrownBy(() -> codec.decode(vote)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void randomBytesAndMutationsDecodeToTheirOwnReEncodingOrAreMalformed() {
        SplittableRandom rnd = new SplittableRandom(2024);
        List<ZabMessage> samples = samples();
        int decoded = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] input;
            if (rnd.nextBoolean()) {
                input = new byte[rnd.nextInt(64)];
                rnd.nextBytes(input);
                if (input.length > 0) {
                    input[0] = (byte) rnd.nextInt(19); // mostly known types, so the fields get exercised
                }
            } else {
                input = codec.encode(samples.get(rnd.nextInt(samples.size())));
                int flips = 1 + rnd.nextInt(3);
                for (int f = 0; f < flips && input.length > 0; f++) {
                    input[rnd.nextInt(input.length)] = (byte) rnd.nextInt(256);
                }
                if (rnd.nextInt(4) == 0) {
                    input = Arrays.copyOf(input, rnd.nextInt(input.length + 8));
                }
            }
            ZabMessage m;
            try {
                m = codec.decode(input);
            } catch (MalformedMessageException expected) {
                continue;
            } catch (RuntimeException e) {
                fail("input " + Arrays.toString(input) + " threw " + e, e);
                return;
            }
            // a message that decodes is exactly what those bytes say: it encodes back to them
            decoded++;
            assertThat(codec.encode(m)).as("%s from %s", m, Arrays.toString(input)).isEqualTo(input);
        }
        assertThat(decoded).isPositive();
    }
}
