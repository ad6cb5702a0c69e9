package io.corral.server.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.protocol.ErrorCode;
import io.corral.protocol.ReplyHeader;
import io.corral.protocol.RequestHeader;
import io.corral.server.compat.RawConnection.Reply;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every opcode ZooKeeper 3.9.5 does not define gets its answer: a reply with the request's xid, zxid -1 and
 * UNIMPLEMENTED (-6), then the connection is closed. Edge values (the ends of the int range, the values Corral once
 * used for its own internal events) and a seeded sample of random ints.
 */
public abstract class OpcodeContract extends AbstractCompatContract {
    /** Opcodes ZooKeeper answers otherwise: its Request.isValid set, plus auth and sasl (handled before it). */
    static final Set<Integer> DEFINED = Set.of(-11, -10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 15, 16, 17, 18, 19, 20,
            21, 22, 100, 101, 102, 103, 104, 105, 106, 107);
    private static final long SEED = 0x0c0ffeeL;

    @Override
    protected Map<String, String> serverConfig() {
        return Map.of("maxClientCnxns", "0");
    }

    static Stream<Integer> undefinedOpcodes() {
        Stream<Integer> edges = Stream.of(Integer.MIN_VALUE, Integer.MIN_VALUE + 1, Integer.MIN_VALUE + 2,
                Integer.MIN_VALUE + 3, Integer.MAX_VALUE, Integer.MAX_VALUE - 1, -1, -2, -9, -12, 0, 10, 13, 23, 99,
                108, 1 << 16, -(1 << 16));
        Random random = new Random(SEED);
        Stream<Integer> sampled = IntStream.range(0, 60)
                .map(i -> i % 2 == 0 ? random.nextInt() : random.nextInt(400) - 200).boxed();
        return Stream.concat(edges, sampled).filter(op -> !DEFINED.contains(op)).distinct();
    }

    @ParameterizedTest
    @MethodSource("undefinedOpcodes")
    void anOpcodeZooKeeperDoesNotDefineGetsUnimplementedThenTheConnectionCloses(int opcode) throws IOException {
        try (RawConnection c = new RawConnection(LargeRepliesContract.address(server))) {
            c.handshake();
            int xid = opcode == Integer.MIN_VALUE ? 7 : opcode ^ 0x5a5a;
            c.send(out -> new RequestHeader(xid, opcode).write(out));
            Reply reply = c.readReply();
            assertThat(reply.header()).isEqualTo(new ReplyHeader(xid, -1, ErrorCode.UNIMPLEMENTED));
            assertThat(reply.body().readableBytes()).isZero();
            c.assertClosedWithoutReply();
        }
    }
}
