package io.corral.server.compat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

import org.apache.zookeeper.server.ContainerManager;
import org.apache.zookeeper.server.NIOServerCnxnFactory;
import org.apache.zookeeper.server.RequestProcessor;
import org.apache.zookeeper.server.ZKDatabase;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;

/**
 * Starts a real, standalone Apache ZooKeeper server in-process (NIO connection factory, bound to 127.0.0.1 on an
 * ephemeral port, temporary data directory).
 *
 * <p>Recognised config keys (all optional): {@code tickTime} (default 2000), {@code minSessionTimeout},
 * {@code maxSessionTimeout}, {@code maxClientCnxns} (default 0 = unlimited), {@code znode.container.checkIntervalMs}
 * (if present, a {@link ContainerManager} is started with that interval so containers and TTL nodes are reaped),
 * {@code znode.container.maxPerMinute} (default 10000), {@code znode.container.maxNeverUsedIntervalMs} (default 0).
 * Extended types (TTL), the super digest {@link CompatHarness#SUPER_DIGEST} and the 4lw whitelist {@code *} are
 * JVM-wide system properties set by {@link CompatHarness}.
 */
public final class ZooKeeperServers {

    static {
        CompatHarness.init();
    }

    private ZooKeeperServers() {
    }

    public static ServerUnderTest start(Map<String, String> config) {
        CompatHarness.init();
        Path dataDir = CompatHarness.newTempDir("zk-compat-");
        try {
            int tickTime = intKey(config, "tickTime", 2000);
            int minSessionTimeout = intKey(config, "minSessionTimeout", -1);
            int maxSessionTimeout = intKey(config, "maxSessionTimeout", -1);
            int maxClientCnxns = intKey(config, "maxClientCnxns", 0);

            File dir = dataDir.toFile();
            FileTxnSnapLog txnSnapLog = new FileTxnSnapLog(dir, dir);
            ExposedZooKeeperServer zks = new ExposedZooKeeperServer(
                    txnSnapLog, tickTime, minSessionTimeout, maxSessionTimeout, new ZKDatabase(txnSnapLog));

            NIOServerCnxnFactory factory = new NIOServerCnxnFactory();
            factory.configure(new InetSocketAddress("127.0.0.1", 0), maxClientCnxns, -1, false);
            factory.startup(zks); // loads the database and starts the server

            ContainerManager containerManager = null;
            String interval = config.get("znode.container.checkIntervalMs");
            if (interval != null) {
                containerManager = new ContainerManager(
                        zks.getZKDatabase(),
                        zks.firstProcessor(),
                        Integer.parseInt(interval),
                        intKey(config, "znode.container.maxPerMinute", 10000),
                        Long.parseLong(config.getOrDefault("znode.container.maxNeverUsedIntervalMs", "0")));
                containerManager.start();
            }
            return new RunningZooKeeper(dataDir, txnSnapLog, zks, factory, containerManager);
        } catch (IOException e) {
            CompatHarness.deleteRecursively(dataDir);
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CompatHarness.deleteRecursively(dataDir);
            throw new IllegalStateException(e);
        }
    }

    private static int intKey(Map<String, String> config, String key, int dflt) {
        String v = config.get(key);
        return v == null ? dflt : Integer.parseInt(v.trim());
    }

    /** Exposes the first request processor, needed to run a ContainerManager outside ZooKeeperServerMain. */
    private static final class ExposedZooKeeperServer extends ZooKeeperServer {
        ExposedZooKeeperServer(FileTxnSnapLog log, int tickTime, int minSessionTimeout, int maxSessionTimeout,
                ZKDatabase db) {
            super(log, tickTime, minSessionTimeout, maxSessionTimeout, -1, db, "");
        }

        RequestProcessor firstProcessor() {
            return firstProcessor;
        }
    }

    private static final class RunningZooKeeper implements ServerUnderTest {
        private final Path dataDir;
        private final FileTxnSnapLog txnSnapLog;
        private final ZooKeeperServer zks;
        private final NIOServerCnxnFactory factory;
        private final ContainerManager containerManager;
        private final String connectString;

        RunningZooKeeper(Path dataDir, FileTxnSnapLog txnSnapLog, ZooKeeperServer zks, NIOServerCnxnFactory factory,
                ContainerManager containerManager) {
            this.dataDir = dataDir;
            this.txnSnapLog = txnSnapLog;
            this.zks = zks;
            this.factory = factory;
            this.containerManager = containerManager;
            this.connectString = "127.0.0.1:" + factory.getLocalPort();
        }

        @Override
        public String connectString() {
            return connectString;
        }

        @Override
        public String kind() {
            return "zookeeper";
        }

        @Override
        public void close() {
            if (containerManager != null) {
                containerManager.stop();
            }
            factory.shutdown();
            zks.shutdown();
            try {
                txnSnapLog.close();
            } catch (IOException ignored) {
                // best effort
            }
            CompatHarness.deleteRecursively(dataDir);
        }

        @Override
        public String toString() {
            return "ZooKeeper 3.9 at " + connectString;
        }
    }
}
