package io.corral.server.importer;

import io.corral.server.compat.CompatHarness;
import io.corral.server.compat.ZkClients;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.NIOServerCnxnFactory;
import org.apache.zookeeper.server.SyncRequestProcessor;
import org.apache.zookeeper.server.ZKDatabase;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.persistence.FileTxnLog;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.apache.zookeeper.server.persistence.SnapStream;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A ZooKeeper data directory written by Apache ZooKeeper 3.9.5 itself, in-process: a workload with every node type,
 * ACLs, sessions with ephemerals, deleted nodes, multis and setACL, run with a tiny snapCount and pre-allocation so
 * that ZooKeeper rolls its log and takes (fuzzy) snapshots many times; then what ZooKeeper served, read through the
 * official client just before it stopped; then a torn record appended to the newest log, as a crash mid-append
 * leaves it.
 *
 * @param served       path to data, Stat and ACL, as ZooKeeper served them
 * @param sessionId    a session that still owns ephemerals when ZooKeeper stops
 * @param password     its password
 * @param ephemeral    one of its ephemerals
 */
record ZooKeeperWrittenData(Path dataDir, Path logDir, Map<String, String> served, long sessionId, byte[] password,
                            String ephemeral, ZooKeeper survivor) {

    static final String DIGEST_USER = "alice:secret";
    private static final int SNAP_COUNT = 12;
    private static final long PREALLOC_BYTES = 4096;

    /** Runs ZooKeeper with its snapshots compressed as {@code mode} says; the survivor client is left open. */
    static ZooKeeperWrittenData write(Path root, SnapStream.StreamMode mode) throws Exception {
        CompatHarness.init();
        Path dataDir = root.resolve("zk-data");
        Path logDir = root.resolve("zk-log");
        int snapCount = SyncRequestProcessor.getSnapCount();
        SnapStream.StreamMode streamMode = SnapStream.getStreamMode();
        SyncRequestProcessor.setSnapCount(SNAP_COUNT);
        FileTxnLog.setPreallocSize(PREALLOC_BYTES);
        SnapStream.setStreamMode(mode);
        FileTxnSnapLog txnSnapLog = new FileTxnSnapLog(logDir.toFile(), dataDir.toFile());
        ZooKeeperServer zks = new ZooKeeperServer(txnSnapLog, 2000, -1, -1, -1, new ZKDatabase(txnSnapLog), "");
        NIOServerCnxnFactory factory = new NIOServerCnxnFactory();
        ZooKeeper admin = null;
        ZooKeeper survivor = null;
        try {
            factory.configure(new InetSocketAddress("127.0.0.1", 0), 0, -1, false);
            factory.startup(zks);
            String connect = "127.0.0.1:" + factory.getLocalPort();
            admin = ZkClients.connect(connect);
            admin.addAuthInfo("digest", CompatHarness.SUPER_USER_PASSWORD.getBytes(StandardCharsets.UTF_8));
            admin.addAuthInfo("digest", DIGEST_USER.getBytes(StandardCharsets.UTF_8));
            survivor = ZkClients.connect(connect, 30_000, e -> { });
            String ephemeral = workload(admin, survivor, connect);
            Map<String, String> served = ServedTree.read(admin);
            return new ZooKeeperWrittenData(dataDir, logDir, served, survivor.getSessionId(),
                    survivor.getSessionPasswd(), ephemeral, survivor);
        } finally {
            ZkClients.closeQuietly(admin); // its closeSession is logged before the server stops
            factory.shutdown();
            zks.shutdown();
            txnSnapLog.close();
            SyncRequestProcessor.setSnapCount(snapCount);
            FileTxnLog.setPreallocSize(64 * 1024 * 1024);
            SnapStream.setStreamMode(streamMode);
        }
    }

    private static String workload(ZooKeeper admin, ZooKeeper survivor, String connect) throws Exception {
        List<ACL> open = ZooDefs.Ids.OPEN_ACL_UNSAFE;
        admin.create("/app", "application".getBytes(StandardCharsets.UTF_8), open, CreateMode.PERSISTENT);
        for (int i = 0; i < 3; i++) {
            admin.create("/app/seq-", new byte[] {(byte) i}, open, CreateMode.PERSISTENT_SEQUENTIAL);
        }
        admin.create("/app/null-data", null, open, CreateMode.PERSISTENT);
        admin.create("/app/empty", new byte[0], open, CreateMode.PERSISTENT);
        admin.create("/app/big", new byte[100_000], open, CreateMode.PERSISTENT);
        admin.create("/secure", "alice's".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.CREATOR_ALL_ACL,
                CreateMode.PERSISTENT);
        admin.create("/readonly", null, ZooDefs.Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);
        admin.create("/by-ip", null, Arrays.asList(new ACL(ZooDefs.Perms.ALL, new Id("ip", "127.0.0.1")),
                new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE)), CreateMode.PERSISTENT);
        admin.create("/acl-changed", null, open, CreateMode.PERSISTENT);
        admin.setACL("/acl-changed", Arrays.asList(new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.WRITE,
                ZooDefs.Ids.ANYONE_ID_UNSAFE)), 0);
        admin.create("/container", null, open, CreateMode.CONTAINER);
        admin.create("/container/child", null, open, CreateMode.PERSISTENT);
        admin.create("/ttl", "t".getBytes(StandardCharsets.UTF_8), open, CreateMode.PERSISTENT_WITH_TTL, new Stat(),
                3_600_000);
        admin.create("/ttl-seq-", null, open, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, new Stat(), 3_600_000);
        String ephemeral = survivor.create("/app/eph-", "mine".getBytes(StandardCharsets.UTF_8), open,
                CreateMode.EPHEMERAL_SEQUENTIAL);
        survivor.create("/app/eph-plain", null, open, CreateMode.EPHEMERAL);
        // a session whose ephemerals go with its closeSession
        ZooKeeper shortLived = ZkClients.connect(connect);
        shortLived.create("/app/gone-with-session", null, open, CreateMode.EPHEMERAL);
        shortLived.close();
        // many writes: the log rolls and ZooKeeper snapshots every few of them, while they go on
        admin.create("/bulk", null, open, CreateMode.PERSISTENT);
        for (int i = 0; i < 120; i++) {
            admin.create("/bulk/n" + i, ("v" + i).getBytes(StandardCharsets.UTF_8), open, CreateMode.PERSISTENT);
            if (i % 3 == 0) {
                admin.setData("/bulk/n" + i, ("w" + i).getBytes(StandardCharsets.UTF_8), -1);
            }
            if (i % 4 == 0) {
                admin.delete("/bulk/n" + i, -1);
            }
        }
        admin.multi(Arrays.asList(Op.create("/multi", null, open, CreateMode.PERSISTENT),
                Op.setData("/multi", "m".getBytes(StandardCharsets.UTF_8), 0),
                Op.create("/multi/deleted", null, open, CreateMode.PERSISTENT),
                Op.delete("/multi/deleted", 0)));
        try {
            admin.multi(Arrays.asList(Op.create("/never", null, open, CreateMode.PERSISTENT), Op.check("/multi", 99)));
        } catch (KeeperException.BadVersionException expected) {
            // a failed multi: logged as errors, applies nothing
        }
        for (int i = 0; i < 5; i++) {
            admin.setData("/app", ("application v" + i).getBytes(StandardCharsets.UTF_8), i);
        }
        return ephemeral;
    }

    /**
     * Appends half of a copy of the newest log's last record after it, with no end-of-record marker: what a crash
     * in the middle of an append leaves in ZooKeeper's pre-allocated file.
     */
    static void tearNewestLog(Path logDir) throws IOException {
        Path newest = newestLog(logDir);
        long[] last = lastRecord(newest);
        try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
            byte[] record = new byte[(int) (last[1] - last[0])];
            f.seek(last[0]);
            f.readFully(record);
            f.seek(last[1]);
            f.write(record, 0, record.length / 2);
        }
    }

    static Path newestLog(Path logDir) {
        List<Path> logs = ZkSnapshotFiles.list(logDir.resolve("version-2"), ZkSnapshotFiles.LOG_PREFIX);
        return logs.get(logs.size() - 1);
    }

    /** Where the last record of a log file begins and ends, found by walking them: crc, length, bytes, 'B'. */
    static long[] lastRecord(Path log) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long at = ZkTxnLogFile.HEADER_SIZE;
            long last = -1;
            while (at + 12 <= f.length()) {
                f.seek(at + 8);
                int length = f.readInt();
                if (length == 0) {
                    break;
                }
                last = at;
                at += 8 + 4 + length + 1;
            }
            return new long[] {last, at};
        }
    }
}
