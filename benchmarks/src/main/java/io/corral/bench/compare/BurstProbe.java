package io.corral.bench.compare;

import io.corral.protocol.Acl;
import io.corral.protocol.ConnectRequest;
import io.corral.protocol.CreateRequest;
import io.corral.protocol.JuteInput;
import io.corral.protocol.JuteOutput;
import io.corral.protocol.OpCode;
import io.corral.protocol.PathWatchRequest;
import io.corral.protocol.Record;
import io.corral.protocol.ReplyHeader;
import io.corral.protocol.RequestHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * One measurement of issue 11 against one server: a raw-socket client pipelines N getData of a 900 KB znode in a
 * single write and reads the replies as fast as it can, into one reused array (the driver's own garbage collector
 * must not pause the bystanders it measures); meanwhile bystander sessions read an 8-byte znode one request at a
 * time and keep their latencies.
 */
final class BurstProbe {
    static final int NODE_BYTES = 900 * 1024;
    private static final int MAX_FRAME = 1 << 21;
    private static final int QUIET_CALLS = 200;

    /**
     * The figures of one burst. {@code worstAtSeconds}: when the worst bystander request started, from the burst's
     * write; {@code driverCpuSeconds}: the driver process's CPU time during the burst (mostly the burst reader);
     * {@code serverCpuSeconds}: the server process's;
     * {@code startedEpochMs}: the wall-clock time of the burst's write, to find the moment in a server's GC log.
     */
    record Figures(double burstSeconds, double bystanderWorstMs, double bystanderP99Ms, long bystanderCalls,
                   double worstAtSeconds, double quietWorstMs, double driverCpuSeconds, double serverCpuSeconds,
                   long startedEpochMs) {
    }

    private final InetSocketAddress address;
    private final int bystanders;
    private final ProcessHandle server;
    /** Every burst reply is read into this one array (a 2 MB array per burst was a humongous allocation too). */
    private final byte[] scratch = new byte[MAX_FRAME];

    BurstProbe(InetSocketAddress address, int bystanders, ProcessHandle server) {
        this.address = address;
        this.bystanders = bystanders;
        this.server = server;
    }

    /** Creates the two znodes the bursts read. */
    void setUp() throws IOException {
        try (Raw setup = new Raw(address)) {
            setup.request(1, OpCode.CREATE, new CreateRequest("/burst", new byte[NODE_BYTES], Acl.OPEN_ACL_UNSAFE, 0,
                    -1));
            setup.request(2, OpCode.CREATE, new CreateRequest("/small", new byte[8], Acl.OPEN_ACL_UNSAFE, 0, -1));
        }
    }

    Figures burst(int n) throws Exception {
        List<Raw> others = new ArrayList<>();
        try (Raw burst = new Raw(address)) {
            for (int i = 0; i < bystanders; i++) {
                others.add(new Raw(address));
            }
            Bystanders.Latencies quiet = new Bystanders(others, QUIET_CALLS, true).awaitCalls();
            ByteBuf all = Unpooled.buffer(n * 24);
            for (int xid = 1; xid <= n; xid++) {
                frame(all, xid, OpCode.GET_DATA, new PathWatchRequest("/burst", false));
            }
            byte[] requests = ByteBufUtil.getBytes(all);
            Bystanders during = new Bystanders(others, Integer.MAX_VALUE, false);
            during.awaitRunning();
            long cpuBefore = processCpuNanos();
            long serverCpuBefore = serverCpuNanos();
            long startedEpochMs = System.currentTimeMillis();
            long start = System.nanoTime();
            during.countFrom(start);
            burst.out.write(requests);
            burst.out.flush();
            for (int xid = 1; xid <= n; xid++) {
                ReplyHeader h = burst.readReplyInto(scratch);
                if (h.xid() != xid || h.err() != 0) {
                    throw new IllegalStateException("reply " + xid + ": " + h);
                }
            }
            long end = System.nanoTime();
            double cpu = (processCpuNanos() - cpuBefore) / 1e9;
            double serverCpu = (serverCpuNanos() - serverCpuBefore) / 1e9;
            Bystanders.Latencies l = during.stop();
            return new Figures((end - start) / 1e9, l.worst() / 1e6, l.percentile(0.99) / 1e6, l.count(),
                    l.worstAt() / 1e9, quiet.worst() / 1e6, cpu, serverCpu, startedEpochMs);
        } finally {
            for (Raw r : others) {
                r.close();
            }
        }
    }

    private long serverCpuNanos() {
        return server.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void frame(ByteBuf all, int xid, int op, Record body) {
        int at = all.writerIndex();
        all.writeInt(0);
        JuteOutput o = new JuteOutput(all);
        new RequestHeader(xid, op).write(o);
        body.write(o);
        all.setInt(at, all.writerIndex() - at - 4);
    }

    /** One session on a plain socket. */
    static final class Raw implements AutoCloseable {
        final Socket socket = new Socket();
        final OutputStream out;
        final DataInputStream in;

        Raw(InetSocketAddress address) throws IOException {
            socket.setTcpNoDelay(true);
            socket.connect(address, 10_000);
            socket.setSoTimeout(120_000);
            out = socket.getOutputStream();
            in = new DataInputStream(socket.getInputStream());
            ByteBuf b = Unpooled.buffer();
            b.writeInt(0);
            new ConnectRequest(0, 0, 30_000, 0, new byte[16], false).write(new JuteOutput(b));
            b.setInt(0, b.readableBytes() - 4);
            out.write(ByteBufUtil.getBytes(b));
            out.flush();
            readFrameInto(new byte[256]);
        }

        ReplyHeader request(int xid, int op, Record body) throws IOException {
            ByteBuf b = Unpooled.buffer();
            frame(b, xid, op, body);
            out.write(ByteBufUtil.getBytes(b));
            out.flush();
            ReplyHeader h = readReplyInto(new byte[256]);
            if (h.xid() != xid || h.err() != 0) {
                throw new IOException("request " + xid + " answered " + h);
            }
            return h;
        }

        /** The next reply's header (notifications skipped); the reply is read into {@code scratch}. */
        ReplyHeader readReplyInto(byte[] scratch) throws IOException {
            while (true) {
                int length = readFrameInto(scratch);
                ReplyHeader h = ReplyHeader.read(new JuteInput(Unpooled.wrappedBuffer(scratch, 0, length), MAX_FRAME));
                if (h.xid() != -1) {
                    return h;
                }
            }
        }

        /** Reads one frame into {@code scratch} (grown frames are refused: it is as large as the driver needs). */
        int readFrameInto(byte[] scratch) throws IOException {
            int length = in.readInt();
            if (length < 0 || length > scratch.length) {
                throw new IOException("frame length " + length);
            }
            in.readFully(scratch, 0, length);
            return length;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
