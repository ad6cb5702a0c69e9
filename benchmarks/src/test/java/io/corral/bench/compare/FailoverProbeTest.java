package io.corral.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

import org.apache.zookeeper.server.NIOServerCnxnFactory;
import org.apache.zookeeper.server.ZKDatabase;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe against a real (in-process) Apache ZooKeeper server that goes away and comes back on its port. */
class FailoverProbeTest {
    @TempDir
    Path dataDir;
    private int port;
    private Running server;

    /** One life of the server: its database, its connection factory. */
    private record Running(FileTxnSnapLog log, ZooKeeperServer zks, NIOServerCnxnFactory factory) {
        void stop() throws Exception {
            factory.shutdown();
            zks.shutdown();
            log.close();
        }
    }

    @BeforeAll
    static void noSasl() {
        System.setProperty("zookeeper.sasl.client", "false");
        System.setProperty("zookeeper.admin.enableServer", "false");
    }

    private Running start() throws Exception {
        File dir = dataDir.toFile();
        FileTxnSnapLog log = new FileTxnSnapLog(dir, dir);
        ZooKeeperServer zks = new ZooKeeperServer(log, 2000, -1, -1, -1, new ZKDatabase(log), "");
        NIOServerCnxnFactory factory = new NIOServerCnxnFactory();
        factory.configure(new InetSocketAddress("127.0.0.1", port), 0, -1, false);
        factory.startup(zks);
        return new Running(log, zks, factory);
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void measuresTheTimeUntilEverySessionWritesAgainAfterARestart() throws Exception {
        port = ServerLauncher.freePort();
        server = start();
        try (FailoverProbe probe = FailoverProbe.start("127.0.0.1:" + port, 2, 30_000, "/bench/failover")) {
            probe.awaitAcknowledged(50, Duration.ofSeconds(20));

            long downFor = System.nanoTime();
            RecoveryClock.Recovery r = probe.around(() -> {
                server.stop();
                server = start(); // same port and data: the sessions survive
            }, Duration.ofSeconds(20));
            downFor = System.nanoTime() - downFor;

            assertThat(r.recovered()).isEqualTo(2);
            assertThat(r.firstMs()).isPositive().isLessThanOrEqualTo(r.allMs());
            assertThat(r.allMs()).isLessThanOrEqualTo(downFor / 1e6);
            long before = probe.acknowledged();
            probe.awaitAcknowledged(before + 20, Duration.ofSeconds(10)); // and they keep writing
        }
    }
}
