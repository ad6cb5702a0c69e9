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
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Issue 11's figures: one raw-socket client pipelines N getData of a 900 KB znode in a single write and reads the
 * replies as fast as it can; the time from the write to the last reply, and meanwhile the worst latency of bystander
 * sessions reading a small znode one request at a time (some of them share the burst's network thread). Corral and
 * Apache ZooKeeper 3.9.5 as child JVMs (ServerLauncher), ZooKeeper first, each fresh per N. Writes its section of
 * benchmarks/RESULTS.md. Run it through benchmarks/burst-compare.sh.
 */
public final class BurstCompare {
    static final ReportSection SECTION = new ReportSection("burst-compare", BurstCompare.class);
    private static final int NODE_BYTES = 900 * 1024;
    private static final int MAX_FRAME = 1 << 21;

    private final Path root;
    private final Path out;
    private final String command;
    private final List<Integer> bursts = new ArrayList<>();
    private final int bystanders;
    private final ChildProcesses children;
    private final ServerLauncher launcher;
    private final Path work;

    private BurstCompare(Map<String, String> o) throws IOException {
        root = Path.of(o.getOrDefault("root", ".")).toAbsolutePath().normalize();
        out = root.resolve(o.getOrDefault("out", "benchmarks/RESULTS.md"));
        command = o.getOrDefault("command", "benchmarks/burst-compare.sh").strip();
        for (String n : o.getOrDefault("bursts", "100,300,1000").split(",")) {
            bursts.add(Integer.parseInt(n.trim()));
        }
        bystanders = Integer.parseInt(o.getOrDefault("bystanders", "4"));
        children = new ChildProcesses(o.containsKey("pidfile") ? Path.of(o.get("pidfile")) : null);
        work = Files.createTempDirectory("corral-burst-compare-");
        launcher = new ServerLauncher(root, children, o.getOrDefault("xmx", "1g"), List.of(),
                BurstCompare.class.getName(), BurstCompare::log);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = DriverCli.options("burst-compare", args, Set.of("root", "out", "pidfile", "command",
                "bursts", "bystanders", "xmx"), Set.of());
        BurstCompare c = new BurstCompare(o);
        DriverCli.runThenExit("burst-compare", c.children, c::run);
    }

    private static void log(String line) {
        System.err.println("burst-compare: " + line);
    }

    record Figures(double burstSeconds, double bystanderWorstMs, double quietWorstMs, long replies) {
    }

    private void run() throws Exception {
        String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String loadBefore = RunFacts.loadAverage();
        Map<Integer, Map<ServerKind, Figures>> results = new LinkedHashMap<>();
        for (int n : bursts) {
            Map<ServerKind, Figures> byServer = new LinkedHashMap<>();
            for (ServerKind kind : List.of(ServerKind.ZOOKEEPER, ServerKind.CORRAL)) {
                LaunchedServer s = launcher.standalone(kind, work.resolve(kind.name().toLowerCase(Locale.ROOT) + n),
                        ServerLauncher.freePort(), Duration.ofSeconds(60));
                try {
                    Figures f = measure(new InetSocketAddress("127.0.0.1", s.clientPort), n);
                    log(kind.title + " N=" + n + ": " + f);
                    byServer.put(kind, f);
                } finally {
                    children.stop(s.process);
                }
            }
            results.put(n, byServer);
        }
        StringBuilder md = new StringBuilder("## A burst of large replies (issue 11)\n\n");
        md.append(String.format(Locale.ROOT, "Run %s on %s (%s), commit %s; load average before %s, after %s.%n%n",
                started, RunFacts.machine(), RunFacts.jdk(), RunFacts.commit(root), loadBefore,
                RunFacts.loadAverage()));
        md.append("Command: `").append(command).append("`\n\n");
        md.append("One raw-socket client pipelines N getData of one 900 KB znode in a single write and reads the ")
                .append("replies as fast as it can; ").append(bystanders).append(" bystander sessions (raw sockets, ")
                .append("one getData of an 8-byte znode at a time) measure their latency meanwhile. \"quiet\" is ")
                .append("the bystanders' worst latency over 200 requests each just before the burst. Fresh server ")
                .append("per N, ZooKeeper first. Child JVMs with the same -Xmx; everything on this machine.\n\n");
        md.append("| N | server | burst served in | bystanders' worst latency | quiet worst |\n|---|---|---|---|---|\n");
        results.forEach((n, byServer) -> byServer.forEach((kind, f) -> md.append(String.format(Locale.ROOT,
                "| %d | %s | %.2f s | %.1f ms | %.1f ms |%n", n, kind.title, f.burstSeconds(), f.bystanderWorstMs(),
                f.quietWorstMs()))));
        String section = SECTION.wrap(md.toString());
        SECTION.write(out, section);
        System.out.println(section);
        log("wrote the burst section of " + out);
    }

    private Figures measure(InetSocketAddress address, int n) throws Exception {
        try (Raw setup = new Raw(address)) {
            setup.request(1, OpCode.CREATE, new CreateRequest("/burst", new byte[NODE_BYTES], Acl.OPEN_ACL_UNSAFE, 0,
                    -1));
            setup.request(2, OpCode.CREATE, new CreateRequest("/small", new byte[8], Acl.OPEN_ACL_UNSAFE, 0, -1));
        }
        List<Raw> others = new ArrayList<>();
        try (Raw burst = new Raw(address)) {
            for (int i = 0; i < bystanders; i++) {
                others.add(new Raw(address));
            }
            long quiet = worst(others, new AtomicBoolean(true), 200);
            AtomicBoolean running = new AtomicBoolean(true);
            CompletableFuture<Long> during = CompletableFuture.supplyAsync(
                    () -> worst(others, running, Integer.MAX_VALUE), r -> new Thread(r, "bystanders").start());
            ByteBuf all = Unpooled.buffer(n * 24);
            for (int xid = 1; xid <= n; xid++) {
                frame(all, xid, OpCode.GET_DATA, new PathWatchRequest("/burst", false));
            }
            long start = System.nanoTime();
            burst.out.write(ByteBufUtil.getBytes(all));
            burst.out.flush();
            long replies = 0;
            for (int xid = 1; xid <= n; xid++) {
                ReplyHeader h = burst.readReply();
                if (h.xid() != xid || h.err() != 0) {
                    throw new IllegalStateException("reply " + xid + ": " + h);
                }
                replies++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            running.set(false);
            long worst = during.get();
            return new Figures(seconds, worst / 1e6, quiet / 1e6, replies);
        } finally {
            for (Raw r : others) {
                r.close();
            }
        }
    }

    private static long worst(List<Raw> sessions, AtomicBoolean running, int calls) {
        List<CompletableFuture<Long>> each = new ArrayList<>();
        for (Raw r : sessions) {
            each.add(CompletableFuture.supplyAsync(() -> {
                long worst = 0;
                int xid = 0;
                while (xid < calls && (running.get() || xid == 0)) {
                    long t = System.nanoTime();
                    try {
                        r.request(++xid + 10, OpCode.GET_DATA, new PathWatchRequest("/small", false));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    worst = Math.max(worst, System.nanoTime() - t);
                }
                return worst;
            }, run -> new Thread(run, "bystander").start()));
        }
        return each.stream().mapToLong(CompletableFuture::join).max().orElse(0);
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
    private static final class Raw implements AutoCloseable {
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
            readFrame();
        }

        ReplyHeader request(int xid, int op, Record body) throws IOException {
            ByteBuf b = Unpooled.buffer();
            frame(b, xid, op, body);
            out.write(ByteBufUtil.getBytes(b));
            out.flush();
            ReplyHeader h = readReply();
            if (h.xid() != xid || h.err() != 0) {
                throw new IOException("request " + xid + " answered " + h);
            }
            return h;
        }

        ReplyHeader readReply() throws IOException {
            while (true) {
                ReplyHeader h = ReplyHeader.read(new JuteInput(Unpooled.wrappedBuffer(readFrame()), MAX_FRAME));
                if (h.xid() != -1) {
                    return h;
                }
            }
        }

        byte[] readFrame() throws IOException {
            int length = in.readInt();
            if (length < 0 || length > MAX_FRAME) {
                throw new IOException("frame length " + length);
            }
            byte[] frame = new byte[length];
            in.readFully(frame);
            return frame;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
