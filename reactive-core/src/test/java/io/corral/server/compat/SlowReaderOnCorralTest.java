package io.corral.server.compat;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.corral.protocol.ConnectRequest;
import io.corral.protocol.ConnectResponse;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.JuteInput;
import io.corral.protocol.MultiOp;
import io.corral.protocol.MultiRequest;
import io.corral.protocol.OpCode;
import io.corral.protocol.PathWatchRequest;
import io.corral.protocol.ReplyHeader;
import io.corral.server.childjvm.FourLetterWordClient;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Corral's own limits on what a client may cost (issue 11); ZooKeeper has none of them. A client that never reads its
 * replies holds at most clientOutboundLimitBytes (plus one reply) of the server's accounting and is cut off after
 * clientSlowReaderTimeoutMs; a multiRead or getChildren whose reply would pass jute.maxbuffer is refused at once.
 */
class SlowReaderOnCorralTest extends AbstractCompatContract {
    private static final long LIMIT = 4L << 20;
    private static final long TIMEOUT_MS = 2_000;
    private static final int MAX_BUFFER = 1_048_575;
    private static final long MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final Captured captured = new Captured();
    private final Logger connectionLog = (Logger) LoggerFactory.getLogger("io.corral.server.net.ClientConnection");

    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(config);
    }

    @Override
    protected Map<String, String> serverConfig() {
        return Map.of("clientOutboundLimitBytes", Long.toString(LIMIT),
                "clientSlowReaderTimeoutMs", Long.toString(TIMEOUT_MS),
                "tickTime", "1000");
    }

    /** Keeps the log events of ClientConnection; never blocks the event loop that logs. */
    private static final class Captured extends UnsynchronizedAppenderBase<ILoggingEvent> {
        final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        @Override
        protected void append(ILoggingEvent event) {
            lines.add(event.getFormattedMessage());
        }
    }

    @BeforeEach
    void capture() {
        captured.start();
        connectionLog.addAppender(captured);
    }

    @AfterEach
    void release() {
        connectionLog.detachAppender(captured);
    }

    private int port() {
        return LargeRepliesContract.address(server).getPort();
    }

    private Map<String, Long> mntr() {
        String answer = FourLetterWordClient.ask(port(), "mntr", Duration.ofSeconds(10));
        assertThat(answer).as("mntr answered").isNotNull();
        Map<String, Long> figures = new java.util.HashMap<>();
        for (String line : answer.split("\n")) {
            String[] kv = line.split("\t");
            if (kv.length == 2 && kv[1].matches("-?\\d+")) {
                figures.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return figures;
    }

    private long backlog() {
        return mntr().get("corral_outbound_backlog_bytes");
    }

    @Test
    void aClientThatNeverReadsCostsABoundedBacklogAndIsCutOffInTime() throws Exception {
        ZooKeeper setup = connect();
        setup.create("/never-read", new byte[LargeRepliesContract.NODE_BYTES], ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT);
        setup.create("/small", new byte[8], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        List<ZooKeeper> bystanders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bystanders.add(connect());
        }
        long sessionsBefore = mntr().get("zk_global_sessions");
        long quietWorst = LargeRepliesContract.worstLatency(bystanders, new AtomicBoolean(true), 200);

        Socket silent = new Socket();
        silent.setReceiveBufferSize(16 * 1024);
        silent.connect(LargeRepliesContract.address(server), 5_000);
        silent.setSoTimeout(5_000);
        OutputStream out = silent.getOutputStream();
        DataInputStream in = new DataInputStream(silent.getInputStream());
        // a 4 s session, so that it expires soon after the cut
        sendFrame(out, o -> new ConnectRequest(0, 0, 4_000, 0, new byte[16], false).write(o));
        byte[] handshake = new byte[in.readInt()];
        in.readFully(handshake);
        long sessionId = ConnectResponse.read(new JuteInput(io.netty.buffer.Unpooled.wrappedBuffer(handshake),
                MAX_BUFFER)).sessionId();
        assertThat(mntr().get("zk_global_sessions")).isEqualTo(sessionsBefore + 1);

        byte[] flood = LargeRepliesContract.pipelinedGetData("/never-read", 20_000);
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                out.write(flood);
                out.flush();
            } catch (IOException closedByTheServer) {
                // the server stopped reading, then cut the connection
            }
        }, runnable -> new Thread(runnable, "never-reading-writer").start());

        AtomicBoolean running = new AtomicBoolean(true);
        CompletableFuture<Long> measured = CompletableFuture.supplyAsync(
                () -> LargeRepliesContract.worstLatency(bystanders, running, Integer.MAX_VALUE),
                runnable -> new Thread(runnable, "bystanders").start());
        String cut = "session 0x" + Long.toHexString(sessionId);
        AtomicLong worstBacklog = new AtomicLong();
        long start = System.nanoTime();
        try {
            Awaitility.await().atMost(Duration.ofMillis(TIMEOUT_MS + 15_000)).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        worstBacklog.accumulateAndGet(backlog(), Math::max);
                        return captured.lines.stream().anyMatch(line -> line.contains(cut));
                    });
        } finally {
            running.set(false);
        }
        long cutAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(worstBacklog.get()).as("the server's count of bytes queued for clients")
                .isGreaterThan(LIMIT / 2).isLessThanOrEqualTo(LIMIT + 2L * MAX_BUFFER);
        assertThat(cutAfterMs).as("ms until the cut").isLessThan(TIMEOUT_MS + 10_000);
        List<String> lines = List.copyOf(captured.lines);
        assertThat(lines.stream().filter(line -> line.contains(cut))).singleElement().asString()
                .contains("/127.0.0.1:" + silent.getLocalPort())
                .contains("bytes of replies queued");
        // released at once, not when the client goes away
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> backlog() == 0);
        long bystanderWorst = measured.get(30, TimeUnit.SECONDS);
        assertThat(bystanderWorst).as("worst bystander latency during the flood (ns); quiet: %d ns", quietWorst)
                .isLessThan(quietWorst + MARGIN_NANOS);
        // the session was not closed by the cut: it expires as any session whose client went away
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> mntr().get("zk_global_sessions")
                == sessionsBefore);
        silent.close();
        writing.get(10, TimeUnit.SECONDS);
        for (ZooKeeper zk : bystanders) {
            assertThat(zk.getState()).isEqualTo(ZooKeeper.States.CONNECTED);
        }
    }

    @Test
    void aMultiReadWhoseReplyWouldPassJuteMaxBufferIsRefusedAtOnce() throws Exception {
        ZooKeeper setup = connect();
        setup.create("/multi-large", new byte[LargeRepliesContract.NODE_BYTES], ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT);
        List<MultiOp> reads = new ArrayList<>(Collections.nCopies(2_500,
                new MultiOp(OpCode.GET_DATA, new PathWatchRequest("/multi-large", false))));
        try (RawConnection c = new RawConnection(LargeRepliesContract.address(server))) {
            c.handshake();
            c.sendRequest(1, OpCode.MULTI_READ, new MultiRequest(reads));
            ReplyHeader header = c.readReply().header();
            assertThat(header.xid()).isEqualTo(1);
            assertThat(header.err()).isEqualTo(ErrorCode.MARSHALLING_ERROR);
            // one read of it fits, and the connection goes on
            c.sendRequest(2, OpCode.MULTI_READ, new MultiRequest(reads.subList(0, 1)));
            assertThat(c.readReply().header().err()).isEqualTo(ErrorCode.OK);
        }
    }

    @Test
    void getChildrenWhoseReplyWouldPassJuteMaxBufferIsRefused() throws Exception {
        ServerUnderTest small = freshServer(Map.of("jute.maxbuffer", "100000"));
        ZooKeeper zk = connect(small, 10_000, event -> { });
        zk.create("/wide", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        String name = "n".repeat(600);
        for (int i = 0; i < 200; i++) { // 200 names of 600 bytes: 120 KB of reply
            zk.create("/wide/" + name + i, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        try (RawConnection c = new RawConnection(LargeRepliesContract.address(small))) {
            c.handshake();
            for (int op : new int[] {OpCode.GET_CHILDREN, OpCode.GET_CHILDREN2}) {
                c.sendRequest(op, op, new PathWatchRequest("/wide", false));
                assertThat(c.readReply().header()).as("opcode %d", op).satisfies(h -> {
                    assertThat(h.xid()).isEqualTo(op);
                    assertThat(h.err()).isEqualTo(ErrorCode.MARSHALLING_ERROR);
                });
            }
            c.sendRequest(3, OpCode.GET_CHILDREN, new PathWatchRequest("/", false));
            assertThat(c.readReply().header().err()).isEqualTo(ErrorCode.OK);
        }
    }

    private static void sendFrame(OutputStream out, RawConnection.Body body) throws IOException {
        io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer();
        buf.writeInt(0);
        body.write(new io.corral.protocol.JuteOutput(buf));
        buf.setInt(0, buf.readableBytes() - 4);
        out.write(io.netty.buffer.ByteBufUtil.getBytes(buf));
        out.flush();
    }
}
