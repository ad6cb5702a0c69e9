package io.corral.server.importer;

import io.corral.server.compat.CompatHarness;
import io.corral.server.compat.ZkClients;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.NIOServerCnxnFactory;
import org.apache.zookeeper.server.SyncRequestProcessor;
import org.apache.zookeeper.server.ZKDatabase;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * A rough figure, not a benchmark (no JMH): how long an import of a ZooKeeper data directory takes. ZooKeeper 3.9.5
 * writes 100,000 nodes of 100 bytes in multis (they end up in a snapshot) and 50,000 more one create at a time (a
 * long log after it), without fsync; then the import is timed. Run with
 * {@code mvn -o -q -pl reactive-core -am test -Dtest=ImportFigure -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcorral.import.figure=true} and read the test's output file under reactive-core/target/surefire-reports.
 */
@EnabledIfSystemProperty(named = "corral.import.figure", matches = "true")
class ImportFigure {
    private static final int MULTI_NODES = 100_000;
    private static final int SINGLE_NODES = 50_000;

    @TempDir
    Path tmp;

    @Test
    void figure() throws Exception {
        System.setProperty("zookeeper.forceSync", "no"); // before ZooKeeper's log class loads: only this test runs
        CompatHarness.init();
        Path data = tmp.resolve("zk-data");
        Path log = tmp.resolve("zk-log");
        SyncRequestProcessor.setSnapCount(150_000); // one snapshot, about after the multis
        FileTxnSnapLog files = new FileTxnSnapLog(log.toFile(), data.toFile());
        ZooKeeperServer zks = new ZooKeeperServer(files, 2000, -1, -1, -1, new ZKDatabase(files), "");
        NIOServerCnxnFactory factory = new NIOServerCnxnFactory();
        factory.configure(new InetSocketAddress("127.0.0.1", 0), 0, -1, false);
        factory.startup(zks);
        ZooKeeper zk = ZkClients.connect("127.0.0.1:" + factory.getLocalPort());
        try {
            byte[] value = new byte[100];
            zk.create("/m", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (int i = 0; i < MULTI_NODES; i += 500) {
                List<Op> ops = new ArrayList<>();
                for (int j = i; j < i + 500; j++) {
                    ops.add(Op.create("/m/n" + j, value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
                }
                zk.multi(ops);
            }
            zks.takeSnapshot();
            zk.create("/s", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            Semaphore inFlight = new Semaphore(1000);
            AsyncCallback.StringCallback done = (rc, path, ctx, name) -> inFlight.release();
            for (int i = 0; i < SINGLE_NODES; i++) {
                inFlight.acquire();
                zk.create("/s/n" + i, value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, done, null);
            }
            inFlight.acquire(1000);
        } finally {
            ZkClients.closeQuietly(zk);
            factory.shutdown();
            zks.shutdown();
            files.close();
        }
        Path target = tmp.resolve("corral");
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int status = ImportCommand.run(new String[] {"--zookeeper-data", data.toString(), "--zookeeper-log",
            log.toString(), "--to", target.toString()}, new PrintStream(report, true, StandardCharsets.UTF_8), System.err);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        System.out.print(report.toString(StandardCharsets.UTF_8));
        System.out.printf("FIGURE import: status %d, %d ms; ZooKeeper files %d MB (snapshots) + %d MB (logs, "
                + "pre-allocated); Corral snapshot %d MB%n", status, millis, size(data) >> 20, size(log) >> 20,
                size(target) >> 20);
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
