package io.corral.server.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.corral.server.config.DataDirectories;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.corral.log.LogCorruptedException;
import io.corral.log.TxnLog;
import io.corral.protocol.OpCode;
import io.corral.server.CorralServer;
import io.corral.server.compat.ZkClients;
import io.corral.server.config.ServerConfig;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Damage to the transaction log found at start-up, with the server stopped in between: a torn or cut-short last
 * entry (a crash mid-append) is dropped and every complete txn before it is kept; damage anywhere else stops
 * start-up with a message that names the file. Also: a bad newest snapshot falls back to an older one.
 *
 * <p>The log's layout (log/README.md): {@code <dataDir>/txnlog} is a Chronicle Queue, one excerpt per txn, payload
 * {@code kind u8 | version u8 | zxid i64 | sessionId i64 | cxid i32 | time i64 | type i32 | bodyLength i32 | body
 * | crc32c i32}, little-endian; the server's cycle files are hourly ({@code FAST_HOURLY}). Chronicle files are
 * pre-allocated and sparse, so "the end" of the log is the end of its last excerpt, found with a read-only tailer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TornTailTest {

    private static final int NODES = 20;

    @TempDir
    Path dir;

    private final List<CorralServer> servers = new ArrayList<>();
    private final List<ZooKeeper> clients = new ArrayList<>();

    @AfterEach
    void tearDown() {
        servers.forEach(CorralServer::close);
        clients.forEach(ZkClients::closeQuietly);
    }

    private Path dataDir() {
        return dir.resolve("data");
    }

    private Path logDir() {
        return dataDir().resolve(DataDirectories.TXN_LOG);
    }

    /**
     * A clean stop forces the log, and its journal then vouches for every entry: damage to the last one is lost
     * data, which stops start-up. A crash mid-append tears an entry no checkpoint covered; without the journal
     * (a log from before it) nothing vouches for the last entry either, which is that case.
     */
    private void forgetJournal() throws IOException {
        Files.delete(logDir().resolve("journal"));
    }

    private CorralServer start(Map<String, String> extra) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("dataDir", dataDir().toString());
        keys.put("clientPort", "0"); // a new port each time: a stale client never meets the restarted server
        keys.put("clientPortAddress", "127.0.0.1");
        keys.putAll(extra);
        CorralServer server = CorralServer.start(ServerConfig.parse(keys));
        servers.add(server);
        return server;
    }

    private CorralServer start() {
        return start(Map.of());
    }

    private void stop(CorralServer server) {
        server.close();
        servers.remove(server);
    }

    private ZooKeeper connect(CorralServer server) {
        ZooKeeper zk = ZkClients.connect("127.0.0.1:" + server.clientAddress().getPort());
        clients.add(zk);
        return zk;
    }

    /**
     * Starts a server, creates /t and /t/0 .. /t/{NODES-1} (data "d<i>"), stops the server with the session
     * still open (so the last txn in the log is the last create); returns each node's czxid.
     */
    private long[] populate() throws Exception {
        CorralServer server = start();
        ZooKeeper zk = connect(server);
        zk.create("/t", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        long[] czxid = new long[NODES];
        for (int i = 0; i < NODES; i++) {
            Stat stat = new Stat();
            zk.create("/t/" + i, Durability.utf8("d" + i), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                    stat);
            czxid[i] = stat.getCzxid();
        }
        stop(server);
        return czxid;
    }

    /** Where one excerpt's payload lies in its cycle file, with the zxid and type it claims. */
    record Excerpt(long index, Path file, long position, int length, long zxid, int type) {
    }

    /** Every excerpt of the (closed) log, in order, read with a read-only Chronicle tailer. */
    static List<Excerpt> excerpts(Path logDir) {
        List<Excerpt> out = new ArrayList<>();
        try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(logDir).rollCycle(RollCycles.FAST_HOURLY)
                .readOnly(true).build();
             ExcerptTailer t = q.createTailer()) {
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    var bytes = dc.wire().bytes();
                    long position = bytes.readPosition();
                    int length = (int) bytes.readRemaining();
                    byte[] head = new byte[Math.min(length, 34)];
                    bytes.read(head);
                    ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
                    boolean entry = head.length >= 34 && head[0] == 1;
                    out.add(new Excerpt(dc.index(), t.currentFile().toPath(), position, length,
                            entry ? b.getLong(2) : -1, entry ? b.getInt(30) : Integer.MIN_VALUE));
                }
            }
        }
        return out;
    }

    private static Excerpt last(List<Excerpt> excerpts) {
        assertThat(excerpts).isNotEmpty();
        return excerpts.get(excerpts.size() - 1);
    }

    private static void scribble(Path file, long position, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), position);
            ch.force(true);
        }
    }

    /** After recovery: /t/0 .. /t/{keep-1} are there with their data, the rest is not; a new write follows. */
    private void assertKeeps(CorralServer server, int keep, long lastKeptZxid) throws Exception {
        ZooKeeper zk = connect(server);
        for (int i = 0; i < NODES; i++) {
            Stat stat = zk.exists("/t/" + i, false);
            if (i < keep) {
                assertThat(stat).as("/t/%d (a complete txn before the damage)", i).isNotNull();
                assertThat(Durability.utf8(zk.getData("/t/" + i, false, null))).isEqualTo("d" + i);
            } else {
                assertThat(stat).as("/t/%d (its txn was torn)", i).isNull();
            }
        }
        Stat stat = new Stat();
        zk.create("/after-" + System.nanoTime(), null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, stat);
        assertThat(stat.getCzxid()).as("first write after recovery").isGreaterThan(lastKeptZxid);
    }

    @Test
    void tornLastEntryIsDroppedAndEveryCompleteTxnKept() throws Exception {
        long[] czxid = populate();
        forgetJournal();
        Excerpt last = last(excerpts(logDir()));
        assertThat(last.zxid()).as("the last excerpt is the last create").isEqualTo(czxid[NODES - 1]);
        assertThat(last.type()).isIn(OpCode.CREATE, OpCode.CREATE2);
        // the header reached the disk, the end of the payload (body tail and CRC) did not
        scribble(last.file(), last.position() + last.length() - 6, new byte[6]);

        ListAppender<ILoggingEvent> logs = capture();
        CorralServer server;
        try {
            server = start();
        } finally {
            release(logs);
        }
        assertThat(warnings(logs)).as("a WARN names the file").anySatisfy(w -> assertThat(w)
                .contains(last.file().getFileName().toString()));
        assertKeeps(server, NODES - 1, czxid[NODES - 2]);
        ZooKeeper zk = connect(server);
        zk.create("/t/" + (NODES - 1), Durability.utf8("again"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        stop(server);

        // the dropped excerpt now lies in the middle of the log: it must stay dropped, and not stop start-up
        CorralServer again = start();
        ZooKeeper zk2 = connect(again);
        for (int i = 0; i < NODES - 1; i++) {
            assertThat(Durability.utf8(zk2.getData("/t/" + i, false, null))).isEqualTo("d" + i);
        }
        assertThat(Durability.utf8(zk2.getData("/t/" + (NODES - 1), false, null))).isEqualTo("again");
    }

    @Test
    void fileCutShortInsideTheLastEntry() throws Exception {
        long[] czxid = populate();
        forgetJournal();
        Excerpt last = last(excerpts(logDir()));
        assertThat(last.zxid()).isEqualTo(czxid[NODES - 1]);
        try (FileChannel ch = FileChannel.open(last.file(), StandardOpenOption.WRITE)) {
            ch.truncate(last.position() + last.length() / 2);
        }
        CorralServer server = start();
        assertKeeps(server, NODES - 1, czxid[NODES - 2]);
        stop(server);
        assertKeeps(start(), NODES - 1, czxid[NODES - 2]);
    }

    @Test
    void cutRightAfterTheLastCompleteEntryLosesNothing() throws Exception {
        long[] czxid = populate();
        Excerpt last = last(excerpts(logDir()));
        try (FileChannel ch = FileChannel.open(last.file(), StandardOpenOption.WRITE)) {
            ch.truncate(last.position() + last.length()); // drops the pre-allocated, never written rest
        }
        CorralServer server = start();
        assertKeeps(server, NODES, czxid[NODES - 1]);
    }

    @Test
    void damageInTheMiddleStopsStartUpNamingTheFile() throws Exception {
        long[] czxid = populate();
        Excerpt middle = excerpts(logDir()).stream().filter(e -> e.zxid() == czxid[NODES / 2]).findFirst()
                .orElseThrow();
        // flip a byte of the body (the CRC32C, the last 4 bytes, follows it)
        scribble(middle.file(), middle.position() + middle.length() - 5, new byte[]{(byte) 0xEE});

        assertThatThrownBy(this::start)
                .isInstanceOf(LogCorruptedException.class)
                .hasMessageContaining(middle.file().getFileName().toString())
                .hasMessageContaining("0x" + Long.toHexString(czxid[NODES / 2]));

        // the same through the real entry point: the process exits (no stray non-daemon thread keeps it up),
        // with a non-zero status and the file named in its output
        Files.writeString(dir.resolve("server.log"), "");
        try (ChildServer child = new ChildServer(dir, Durability.freePort(),
                Map.of("dataDir", dataDir().toString()))) {
            child.launch();
            int status = child.awaitExit(Duration.ofSeconds(60));
            assertThat(status).as("exit status; output:\n%s", child.log()).isNotZero();
            assertThat(child.log()).contains(middle.file().getFileName().toString());
        }
    }

    @Test
    void badNewestSnapshotFallsBackToAnOlderOneOrToTheWholeLog() throws Exception {
        CorralServer server = start(Map.of("snapCount", "4"));
        ZooKeeper zk = connect(server);
        zk.create("/t", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (int i = 0; i < NODES; i++) {
            zk.create("/t/" + i, Durability.utf8("d" + i), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        Path snapshots = dataDir().resolve(DataDirectories.SNAPSHOTS);
        await("two snapshots").atMost(Duration.ofSeconds(20)).until(() -> snapshotFiles(snapshots).size() >= 2);
        stop(server);
        List<Path> files = snapshotFiles(snapshots);
        Path newest = files.get(files.size() - 1);
        scribble(newest, Files.size(newest) / 2, new byte[]{1, 2, 3, 4, 5, 6, 7, 8});
        CorralServer second = start();
        assertKeeps(second, NODES, 0);
        stop(second);

        for (Path f : snapshotFiles(snapshots)) {
            scribble(f, Files.size(f) / 2, new byte[]{1, 2, 3, 4, 5, 6, 7, 8});
        }
        assertKeeps(start(), NODES, 0);
    }

    /**
     * A crash while a snapshot is being written leaves its temp file ({@code .snapshot.<zxid>.<n>.tmp}, see
     * SnapshotFile.write) behind; nothing may keep such garbage forever, one file the size of a whole snapshot
     * per crash. Start-up (or purge) must remove it.
     */
    @Test
    void tempFileOfASnapshotCutShortByACrashIsRemoved() throws Exception {
        CorralServer server = start(Map.of("snapCount", "4"));
        ZooKeeper zk = connect(server);
        for (int i = 0; i < NODES; i++) {
            zk.create("/n" + i, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        Path snapshots = dataDir().resolve(DataDirectories.SNAPSHOTS);
        await("a snapshot").atMost(Duration.ofSeconds(20)).until(() -> !snapshotFiles(snapshots).isEmpty());
        stop(server);
        // what a SIGKILLed snapshot writer leaves: a partial temp file next to the snapshots
        Path leftover = snapshots.resolve(".snapshot.00000000000000ff.4242424242.tmp");
        Files.write(leftover, new byte[64 * 1024]);

        CorralServer again = start(Map.of("snapCount", "4"));
        ZooKeeper zk2 = connect(again);
        for (int i = 0; i < NODES; i++) {
            zk2.setData("/n" + i, null, -1); // enough txns for more snapshots (and a purge, were one due)
        }
        // (a snapshot being written right now has a temp file of its own: only the leftover must be gone)
        assertThat(leftover).as("the leftover of the crashed snapshot, after a restart").doesNotExist();
    }

    private static List<Path> snapshotFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("snapshot\\.[0-9a-f]{16}")).sorted().toList();
        }
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) org.slf4j.LoggerFactory.getLogger(TxnLog.class)).addAppender(appender);
        return appender;
    }

    private static void release(ListAppender<ILoggingEvent> appender) {
        ((Logger) org.slf4j.LoggerFactory.getLogger(TxnLog.class)).detachAppender(appender);
    }

    private static List<String> warnings(ListAppender<ILoggingEvent> appender) {
        return appender.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }
}
