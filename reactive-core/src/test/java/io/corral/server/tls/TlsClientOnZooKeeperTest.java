package io.corral.server.tls;

import static org.awaitility.Awaitility.await;

import io.corral.net.LoopbackPorts;
import io.corral.server.childjvm.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Apache ZooKeeper 3.9.5 with its Netty server factory, in a child JVM with its own Netty. */
class TlsClientOnZooKeeperTest extends TlsClientContract {
    private Process zookeeper;

    @Override
    int startSecureServer(Map<String, String> tlsKeys, Path dir) throws Exception {
        int port = LoopbackPorts.reserve(1).get(0);
        Map<String, String> keys = new HashMap<>(tlsKeys);
        keys.put("tickTime", "2000");
        keys.put("dataDir", Files.createDirectories(dir.resolve("zk-data")).toString());
        keys.put("secureClientPort", Integer.toString(port));
        keys.put("secureClientPortAddress", "127.0.0.1");
        keys.put("admin.enableServer", "false");
        Path log = dir.resolve("zookeeper.log");
        zookeeper = ZooKeeperNettyJvm.launch(List.of(), "org.apache.zookeeper.server.ZooKeeperServerMain",
                List.of(writeConfig(dir, keys).toString()), log);
        await("ZooKeeper answering on its TLS port " + port).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (!zookeeper.isAlive()) {
                        throw new AssertionError("ZooKeeper exited: " + Files.readString(log));
                    }
                    try (RawTlsClient c = RawTlsClient.tls(PKI.clientContext(PKI.clientKeyStore()), port)) {
                        return "imok".equals(c.ask("ruok"));
                    } catch (java.io.IOException notYet) {
                        return false;
                    }
                });
        return port;
    }

    @Override
    AutoCloseable running() {
        return zookeeper == null ? null : () -> ChildJvm.kill(zookeeper, Duration.ofSeconds(20));
    }
}
