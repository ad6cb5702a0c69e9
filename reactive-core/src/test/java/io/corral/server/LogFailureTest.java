package io.corral.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.log.CloseableIterator;
import io.corral.log.LogEntry;
import io.corral.log.TxnLog;
import io.corral.server.compat.ZkClients;
import io.corral.server.config.ServerConfig;
import io.corral.server.ensemble.InProcessEnsemble;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose transaction log fails stops, as ZooKeeper's does: the client waiting for a write loses its
 * connection (and can go to another server) instead of waiting for ever while its pings are answered, and the server
 * closes; a leader's stop lets the others elect a new one. The log is made to fail under the running server by an
 * entry appended behind its back, far ahead of its zxids: the server's next write is then out of order, which the
 * log refuses as it would an I/O error.
 */
class LogFailureTest {
    @TempDir
    Path dir;

    @Test
    void aServerWhoseLogFailsClosesItsConnectionsAndStops() throws Exception {
        CorralServer server = CorralServer.start(ServerConfig.parse(Map.of("dataDir", dir.toString(),
                "clientPort", "0", "clientPortAddress", "127.0.0.1")));
        try {
            int port = server.clientAddress().getPort();
            ZooKeeper zk = ZkClients.connect("127.0.0.1:" + port, 30_000, null);
            try {
                zk.create("/before", bytes("v0"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

                breakTheLog(server.txnLog());

                assertThatThrownBy(() -> zk.setData("/before", bytes("v1"), -1))
                        .isInstanceOf(KeeperException.ConnectionLossException.class);
                assertThat(server.stoppedByLogFailure().get(30, TimeUnit.SECONDS))
                        .isInstanceOf(IllegalArgumentException.class);
                // the server closed: nothing listens on its port any more
                assertThatThrownBy(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                    }
                }).isInstanceOf(ConnectException.class);
            } finally {
                zk.close(1_000);
            }
        } finally {
            server.close(); // a second close returns at once
        }
    }

    @Test
    void aLeaderWhoseLogFailsStopsAndTheEnsembleGoesOnUnderAnotherLeader() throws Exception {
        try (InProcessEnsemble ensemble = new InProcessEnsemble(dir, 3, 0, Map.of())) {
            ensemble.startAll();
            long leader = ensemble.awaitServing(Duration.ofSeconds(60));
            ZooKeeper zk = ZkClients.connect(ensemble.connectString(leader), 30_000, null);
            try {
                zk.create("/before", bytes("v0"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                CorralServer broken = ensemble.server(leader);

                breakTheLog(broken.txnLog());

                // the followers' acknowledgements may commit it before the leader stops; either way it is answered
                try {
                    zk.setData("/before", bytes("v1"), -1);
                } catch (KeeperException.ConnectionLossException expected) {
                    // the leader closed the session's connection
                }
                assertThat(broken.stoppedByLogFailure().get(30, TimeUnit.SECONDS))
                        .isInstanceOf(IllegalArgumentException.class);
            } finally {
                zk.close(1_000);
            }
            ensemble.stop(leader); // already closed: forgotten by the harness
            long next = ensemble.awaitServing(Duration.ofSeconds(60));
            assertThat(next).isNotEqualTo(leader);
            ZooKeeper after = ZkClients.connect(ensemble.connectString(), 30_000, null);
            try {
                after.setData("/before", bytes("v2"), -1);
                assertThat(after.getData("/before", false, null)).isEqualTo(bytes("v2"));
            } finally {
                after.close(1_000);
            }
        }
    }

    /** Appends a copy of the log's last entry a million zxids ahead: the log refuses the server's next entry. */
    private static void breakTheLog(TxnLog log) {
        LogEntry last = null;
        try (CloseableIterator<LogEntry> entries = log.readFrom(0)) {
            while (entries.hasNext()) {
                last = entries.next();
            }
        }
        assertThat(last).isNotNull();
        log.append(new LogEntry(last.zxid() + 1_000_000, last.sessionId(), last.cxid(), last.time(), last.type(),
                last.body()));
        log.sync();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
