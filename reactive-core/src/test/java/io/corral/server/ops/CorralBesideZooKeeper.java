package io.corral.server.ops;

import io.corral.server.CorralServer;
import io.corral.net.LoopbackPorts;
import io.corral.server.compat.CompatHarness;
import io.corral.server.compat.ZkClients;
import io.corral.server.config.ServerConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import java.util.function.IntFunction;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Corral in-process beside Apache ZooKeeper 3.9.5 in a child JVM ({@link ZooKeeperProcess}), each with a client and
 * the same state ({@link #sameState}): a tree, an ephemeral node, a data watch and a child watch.
 */
final class CorralBesideZooKeeper implements AutoCloseable {
    final CorralServer corral;
    final ZooKeeperProcess zookeeper;
    /** The port ZooKeeper's HTTP endpoint under comparison was given. */
    final int zookeeperHttpPort;
    final ZooKeeper corralClient;
    final ZooKeeper zookeeperClient;
    private final Path corralDir;

    /**
     * Corral with these keys added to a loopback, ephemeral-port config; ZooKeeper with the keys made for the port
     * its HTTP endpoint gets.
     */
    CorralBesideZooKeeper(Map<String, String> corralKeys, IntFunction<Map<String, String>> zookeeperKeys)
            throws Exception {
        corralDir = CompatHarness.newTempDir("corral-beside-");
        Map<String, String> keys = new LinkedHashMap<>(corralKeys);
        keys.put("dataDir", corralDir.toString());
        keys.put("clientPort", "0");
        keys.put("clientPortAddress", "127.0.0.1");
        keys.putIfAbsent("tickTime", "2000");
        corral = CorralServer.start(ServerConfig.parse(keys));
        List<Integer> ports = LoopbackPorts.reserve(2);
        zookeeperHttpPort = ports.get(1);
        zookeeper = ZooKeeperProcess.start(ports.get(0), zookeeperKeys.apply(zookeeperHttpPort));
        corralClient = ZkClients.connect("127.0.0.1:" + corral.clientAddress().getPort());
        zookeeperClient = ZkClients.connect(zookeeper.connectString());
        sameState(corralClient);
        sameState(zookeeperClient);
    }

    /**
     * Both with their AdminServer on 127.0.0.1 (Corral's on an ephemeral port, ZooKeeper's on the reserved one) and
     * these keys added on both sides.
     */
    static CorralBesideZooKeeper withAdminServers(Map<String, String> keys) throws Exception {
        Map<String, String> admin = new LinkedHashMap<>(keys);
        admin.put("admin.enableServer", "true");
        admin.put("admin.serverAddress", "127.0.0.1");
        Map<String, String> corral = new LinkedHashMap<>(admin);
        corral.put("admin.serverPort", "0");
        return new CorralBesideZooKeeper(corral, port -> {
            Map<String, String> zookeeper = new LinkedHashMap<>(admin);
            zookeeper.put("admin.serverPort", Integer.toString(port));
            return zookeeper;
        });
    }

    /** The state both servers hold. */
    static void sameState(ZooKeeper zk) throws KeeperException, InterruptedException {
        zk.create("/app", "config".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/app/a", "1".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/app/lock", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.getData("/app", true, null);
        zk.getChildren("/app", true);
    }

    @Override
    public void close() {
        ZkClients.closeQuietly(corralClient, zookeeperClient);
        corral.close();
        zookeeper.close();
        CompatHarness.deleteRecursively(corralDir);
    }
}
