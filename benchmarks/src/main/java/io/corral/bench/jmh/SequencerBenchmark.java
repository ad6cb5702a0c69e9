package io.corral.bench.jmh;

import io.corral.protocol.Acl;
import io.corral.protocol.ConnectRequest;
import io.corral.protocol.CreateMode;
import io.corral.protocol.CreateRequest;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.OpCode;
import io.corral.protocol.PathWatchRequest;
import io.corral.protocol.Record;
import io.corral.protocol.SetDataRequest;
import io.corral.log.LogOptions;
import io.corral.log.TxnLog;
import io.corral.server.config.DataDirectories;
import io.corral.server.config.ServerConfig;
import io.corral.server.sequencer.Connection;
import io.corral.server.sequencer.ConnectionState;
import io.corral.server.sequencer.Outbound;
import io.corral.server.sequencer.Inbound;
import io.corral.server.sequencer.Request;
import io.corral.server.sequencer.Sequencer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sequencer from its queue to the reply, in-process, without a network: one fake connection (it only counts
 * replies) has a session, and the benchmark thread offers setData (100 B) or getData requests on it, keeping at
 * most {@code window} unanswered. window=1 is a ping-pong (1/throughput is the queue-to-reply latency, including
 * waking the sequencer); a large window shows the batching throughput. Everything the sequencer does per request
 * is in (validation, zxid, the log, commit, tree, stats, outbox), except encoding and the socket.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SequencerBenchmark extends ChronicleFork {

    @Param({"setData", "getData"})
    public String op;

    @Param({"1", "256"})
    public int window;

    /** false isolates the sequencer from the disk; true adds the log's group-committed sync. */
    @Param({"false", "true"})
    public boolean forceSync;

    private Path dataDir;
    private TxnLog txnLog;
    private Sequencer sequencer;
    private CountingConnection connection;
    private int type;
    private Record body;
    private int xid;
    private long sent;

    /** A connection that only counts what the sequencer sends it. */
    static final class CountingConnection implements Connection {
        private final ConnectionState state = new ConnectionState("127.0.0.1");
        volatile long replies;
        volatile long errors;
        volatile boolean handshaken;

        @Override
        public void send(Outbound message) {
            // sequencer thread only: single writer, so a plain increment of the volatile is safe
            if (message instanceof Outbound.Reply reply) {
                if (reply.err() != ErrorCode.OK) {
                    errors++;
                }
                replies++;
            } else if (message instanceof Outbound.Handshake) {
                handshaken = true;
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public String remoteIp() {
            return "127.0.0.1";
        }

        @Override
        public String remoteAddress() {
            return "/127.0.0.1:50000";
        }

        @Override
        public ConnectionState state() {
            return state;
        }
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        dataDir = Files.createTempDirectory("corral-jmh-sequencer");
        ServerConfig config = ServerConfig.parse(Map.of("dataDir", dataDir.toString(), "clientPort", "0",
                "clientPortAddress", "127.0.0.1", "globalOutstandingLimit", "4096"));
        txnLog = TxnLog.open(dataDir.resolve(DataDirectories.TXN_LOG), LogOptions.defaults().withForceSync(forceSync));
        sequencer = new Sequencer(config, txnLog, dataDir.resolve(DataDirectories.SNAPSHOTS));
        sequencer.start();
        connection = new CountingConnection();
        offer(new Inbound.Connect(connection, new ConnectRequest(0, 0, 30_000, 0, new byte[16], false)));
        awaitUntil(() -> connection.handshaken, "session handshake");

        byte[] data = new byte[100];
        Arrays.fill(data, (byte) 'x');
        offer(Request.of(connection, ++xid, OpCode.CREATE,
                new CreateRequest("/bench", data, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT.flag(), -1)));
        sent++;
        awaitUntil(() -> connection.replies == sent, "create /bench");
        if (connection.errors != 0) {
            throw new IllegalStateException("create /bench failed");
        }
        switch (op) {
            case "setData" -> {
                type = OpCode.SET_DATA;
                body = new SetDataRequest("/bench", data, -1);
            }
            case "getData" -> {
                type = OpCode.GET_DATA;
                body = new PathWatchRequest("/bench", false);
            }
            default -> throw new IllegalArgumentException("op " + op);
        }
    }

    @Benchmark
    public long request() {
        while (sent - connection.replies >= window) {
            Thread.onSpinWait();
        }
        offer(Request.of(connection, ++xid, type, body));
        return ++sent;
    }

    private void offer(Inbound request) {
        while (!sequencer.offer(request)) {
            Thread.onSpinWait();
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        try {
            awaitUntil(() -> connection.replies == sent, "the last replies");
            if (connection.errors != 0) {
                throw new IllegalStateException(connection.errors + " requests failed");
            }
        } finally {
            sequencer.close();
            txnLog.close();
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private interface Condition {
        boolean holds();
    }

    private static void awaitUntil(Condition condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }
}
