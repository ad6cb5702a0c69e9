package io.corral.client;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.zookeeper.server.NIOServerCnxnFactory;
import org.apache.zookeeper.server.ZKDatabase;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;

/**
 * Apache ZooKeeper 3.9, standalone, in-process: NIO connection factory on 127.0.0.1:0, temporary data directory.
 * Config keys: tickTime (default 2000), minSessionTimeout, maxSessionTimeout. TTL nodes need the system property
 * zookeeper.extendedTypesEnabled=true (set by the surefire configuration).
 */
public final class ZooKeeperTestServer implements TestServer {
    private final Path dataDir;
    private final FileTxnSnapLog txnSnapLog;
    private final ZooKeeperServer zks;
    private final NIOServerCnxnFactory factory;

    private ZooKeeperTestServer(Path dataDir, FileTxnSnapLog txnSnapLog, ZooKeeperServer zks,
            NIOServerCnxnFactory factory) {
        this.dataDir = dataDir;
        this.txnSnapLog = txnSnapLog;
        this.zks = zks;
        this.factory = factory;
    }

    public static ZooKeeperTestServer start(Map<String, String> config) {
        System.setProperty("zookeeper.extendedTypesEnabled", "true");
        System.setProperty("zookeeper.admin.enableServer", "false");
        try {
            Path dataDir = Files.createTempDirectory("zk-client-");
            int tickTime = Integer.parseInt(config.getOrDefault("tickTime", "2000"));
            int min = Integer.parseInt(config.getOrDefault("minSessionTimeout", "-1"));
            int max = Integer.parseInt(config.getOrDefault("maxSessionTimeout", "-1"));
            File dir = dataDir.toFile();
            FileTxnSnapLog log = new FileTxnSnapLog(dir, dir);
            ZooKeeperServer zks = new ZooKeeperServer(log, tickTime, min, max, -1, new ZKDatabase(log), "");
            NIOServerCnxnFactory factory = new NIOServerCnxnFactory();
            factory.configure(new InetSocketAddress("127.0.0.1", 0), 0, -1, false);
            factory.startup(zks);
            return new ZooKeeperTestServer(dataDir, log, zks, factory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String connectString() {
        return "127.0.0.1:" + factory.getLocalPort();
    }

    @Override
    public String kind() {
        return "zookeeper";
    }

    @Override
    public void close() {
        factory.shutdown();
        zks.shutdown();
        try {
            txnSnapLog.close();
        } catch (IOException ignored) {
            // best effort
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
