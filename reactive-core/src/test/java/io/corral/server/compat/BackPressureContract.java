package io.corral.server.compat;

import static io.corral.server.compat.RawConnection.input;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.protocol.Acl;
import io.corral.protocol.CreateRequest;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.GetDataResponse;
import io.corral.protocol.JuteOutput;
import io.corral.protocol.OpCode;
import io.corral.protocol.PathWatchRequest;
import io.corral.protocol.ReplyHeader;
import io.corral.protocol.RequestHeader;
import io.corral.protocol.SetDataRequest;
import io.corral.protocol.Stat;
import io.corral.protocol.StatResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Limits that keep a server's memory bounded: one client pipelining thousands of requests against a server whose
 * request queue is tiny ({@code globalOutstandingLimit=1}: Corral's sequencer queue then has its minimum of 64 slots,
 * ZooKeeper stops reading a connection as soon as one request is outstanding), and {@code maxClientCnxns}.
 * Nothing may be lost or reordered, and other clients must keep being served.
 */
public abstract class BackPressureContract extends AbstractCompatContract {
    private static final int PIPELINED = 5_000;

    @Override
    protected Map<String, String> serverConfig() {
        return Map.of("globalOutstandingLimit", "1");
    }

    private static InetSocketAddress address(ServerUnderTest target) {
        String connect = target.connectString();
        int colon = connect.lastIndexOf(':');
        return new InetSocketAddress(connect.substring(0, colon), Integer.parseInt(connect.substring(colon + 1)));
    }

    private static byte[] value(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    /** One request in five sets the node to its own xid, the others read it back. */
    private static boolean isWrite(int xid) {
        return xid % 5 == 1;
    }

    /** The requests, each in its own frame, back to back. */
    private static byte[] pipeline(String path) {
        ByteBuf all = Unpooled.buffer(PIPELINED * 32);
        JuteOutput out = new JuteOutput(all);
        for (int xid = 1; xid <= PIPELINED; xid++) {
            int lengthAt = all.writerIndex();
            all.writeInt(0);
            if (isWrite(xid)) {
                new RequestHeader(xid, OpCode.SET_DATA).write(out);
                new SetDataRequest(path, value(xid), -1).write(out);
            } else {
                new RequestHeader(xid, OpCode.GET_DATA).write(out);
                new PathWatchRequest(path, false).write(out);
            }
            all.setInt(lengthAt, all.writerIndex() - lengthAt - 4);
        }
        return ByteBufUtil.getBytes(all);
    }

    @Test
    void thousandsOfPipelinedRequestsAreAllAnsweredInOrderWhileOtherClientsAreServed() throws Exception {
        ZooKeeper other = connect();
        other.create("/bp-other", value(0), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        try (RawConnection c = new RawConnection(address(server))) {
            c.handshake();
            c.sendRequest(PIPELINED + 1, OpCode.CREATE, new CreateRequest("/bp", null, Acl.OPEN_ACL_UNSAFE, 0, -1));
            assertThat(c.readReply().header().err()).isEqualTo(ErrorCode.OK);

            // one write of every request, from its own thread: the server stops reading when its queue is full,
            // and this test reads no reply until the other client has done its work
            byte[] burst = pipeline("/bp");
            CountDownLatch writing = new CountDownLatch(1);
            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                writing.countDown();
                try {
                    c.sendRaw(burst);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, runnable -> new Thread(runnable, "pipelining-writer").start());
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();

            for (int i = 1; i <= 50; i++) {
                other.setData("/bp-other", value(i), i - 1);
                assertThat(other.getData("/bp-other", false, null)).isEqualTo(value(i));
            }

            int lastVersion = 0;
            int lastWritten = -1;
            for (int xid = 1; xid <= PIPELINED; xid++) {
                RawConnection.Reply reply = c.readReply();
                assertThat(reply.header().xid()).as("reply number %d", xid).isEqualTo(xid);
                assertThat(reply.header().err()).as("err of xid %d", xid).isEqualTo(ErrorCode.OK);
                if (isWrite(xid)) {
                    Stat stat = StatResponse.read(input(reply.body())).stat();
                    assertThat(stat.version()).as("version after xid %d", xid).isEqualTo(lastVersion + 1);
                    assertThat(stat.mzxid()).isEqualTo(reply.header().zxid());
                    lastVersion = stat.version();
                    lastWritten = xid;
                } else {
                    GetDataResponse data = GetDataResponse.read(input(reply.body()));
                    assertThat(data.data()).as("getData xid %d sees the setData before it", xid)
                            .isEqualTo(value(lastWritten));
                    assertThat(data.stat().version()).isEqualTo(lastVersion);
                }
            }
            written.get(10, TimeUnit.SECONDS);
            assertThat(lastVersion).isEqualTo(PIPELINED / 5);

            // the connection is still in a sane state
            c.sendRequest(PIPELINED + 2, OpCode.GET_DATA, new PathWatchRequest("/bp", false));
            RawConnection.Reply last = c.readReply();
            assertThat(last.header().xid()).isEqualTo(PIPELINED + 2);
            assertThat(GetDataResponse.read(input(last.body())).data()).isEqualTo(value(lastWritten));
        }
        assertThat(other.getState()).isEqualTo(ZooKeeper.States.CONNECTED);
        assertThat(other.exists("/bp", false).getVersion()).isEqualTo(PIPELINED / 5);
    }

    @Test
    void maxClientCnxnsClosesTheThirdConnectionFromOneAddress() throws Exception {
        ServerUnderTest limited = freshServer(Map.of("maxClientCnxns", "2"));
        InetSocketAddress address = address(limited);
        try (RawConnection first = new RawConnection(address); RawConnection second = new RawConnection(address)) {
            first.handshake();
            second.handshake();
            // both handshakes were answered, so the server counts both connections
            assertClosedByTheServer(address);
            // the first two keep working
            assertExistsRoot(first, 1);
            assertExistsRoot(second, 1);

            // a slot freed by a close is available again (the server notices the close asynchronously)
            first.close();
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions().untilAsserted(() -> {
                        try (RawConnection again = new RawConnection(address)) {
                            again.handshake();
                            assertExistsRoot(again, 2);
                        }
                    });
            assertExistsRoot(second, 3);
        }
    }

    /** A connection the server accepts at the TCP level and closes at once, sending nothing. */
    private static void assertClosedByTheServer(InetSocketAddress address) throws IOException {
        RawConnection third;
        try {
            third = new RawConnection(address);
        } catch (IOException resetWhileConnecting) {
            return;
        }
        try (third) {
            try {
                third.sendConnect(10_000, false);
            } catch (IOException alreadyReset) {
                // closed before the ConnectRequest went out
            }
            third.assertClosedWithoutReply();
        }
    }

    private static void assertExistsRoot(RawConnection c, int xid) throws IOException {
        c.sendRequest(xid, OpCode.EXISTS, new PathWatchRequest("/", false));
        ReplyHeader header = c.readReply().header();
        assertThat(header.xid()).isEqualTo(xid);
        assertThat(header.err()).isEqualTo(ErrorCode.OK);
    }
}
