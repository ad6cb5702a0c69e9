package io.corral.server.tls;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/**
 * Runs in a {@link ZooKeeperNettyJvm}: the official ZooKeeper client (its Netty socket) and Curator against a TLS
 * port, once per mode given, printing {@code mode.key=value} lines for the test to read. Modes: {@code cert}
 * (the client certificate), {@code admin} (the super user's), {@code nocert}, {@code rogue} (a certificate from an
 * untrusted CA), {@code plain} (no TLS at all), {@code curator} (Curator with the client certificate).
 * Arguments: connectString pkiDir mode...
 */
public final class ZkTlsProbe {
    private static final int CONNECT_WAIT_S = 8;

    private ZkTlsProbe() {
    }

    public static void main(String[] args) throws Exception {
        String connect = args[0];
        String pki = args[1];
        for (int i = 2; i < args.length; i++) {
            String mode = args[i];
            ZKClientConfig config = config(mode, pki);
            if (mode.equals("curator")) {
                curator(connect, config);
            } else {
                client(mode, connect, config);
            }
        }
        System.exit(0);
    }

    private static ZKClientConfig config(String mode, String pki) {
        ZKClientConfig config = new ZKClientConfig();
        config.setProperty("zookeeper.sasl.client", "false");
        if (mode.equals("plain")) {
            return config;
        }
        config.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
        config.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
        config.setProperty("zookeeper.ssl.trustStore.location", pki + "/truststore.p12");
        config.setProperty("zookeeper.ssl.trustStore.password", TestPki.PASSWORD);
        String keyStore = switch (mode) {
            case "cert", "curator" -> "client.p12";
            case "admin" -> "admin.p12";
            case "rogue" -> "rogue-client.p12";
            default -> null;
        };
        if (keyStore != null) {
            config.setProperty("zookeeper.ssl.keyStore.location", pki + "/" + keyStore);
            config.setProperty("zookeeper.ssl.keyStore.password", TestPki.PASSWORD);
        }
        return config;
    }

    private static void client(String mode, String connect, ZKClientConfig config) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connect, 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        }, config);
        try {
            if (!connected.await(CONNECT_WAIT_S, TimeUnit.SECONDS)) {
                print(mode, "session", "none");
                return;
            }
            print(mode, "session", "ok");
            // sorted: ZooKeeper keeps a connection's ids in a hash set, so their order is no part of the interface
            print(mode, "whoami", zk.whoAmI().stream().map(c -> c.getAuthScheme() + ":" + c.getUser()).sorted()
                    .collect(Collectors.joining(";")));
            String path = "/tls-" + UUID.randomUUID();
            try {
                zk.create(path, new byte[0], new java.util.ArrayList<>(List.of(new ACL(ZooDefs.Perms.ALL, new Id("auth", "")))),
                        CreateMode.PERSISTENT);
                print(mode, "authAcl", zk.getACL(path, null).stream().map(a -> a.getPerms() + " "
                        + a.getId().getScheme() + ":" + a.getId().getId()).collect(Collectors.joining(";")));
            } catch (KeeperException e) {
                print(mode, "authAcl", e.code().name());
            }
            String guarded = "/x509-" + UUID.randomUUID();
            // a mutable list: the client's validateACL asks contains(null), which List.of refuses
            zk.create(guarded, "secret".getBytes(StandardCharsets.UTF_8), new java.util.ArrayList<>(List.of(
                    new ACL(ZooDefs.Perms.ALL, new Id("x509", TestPki.CLIENT_DN)),
                    new ACL(ZooDefs.Perms.CREATE, ZooDefs.Ids.ANYONE_ID_UNSAFE))), CreateMode.PERSISTENT);
            try {
                print(mode, "x509Read", new String(zk.getData(guarded, false, null), StandardCharsets.UTF_8));
            } catch (KeeperException e) {
                print(mode, "x509Read", e.code().name());
            }
        } finally {
            zk.close();
        }
    }

    private static void curator(String connect, ZKClientConfig config) throws Exception {
        try (CuratorFramework curator = CuratorFrameworkFactory.builder().connectString(connect)
                .zkClientConfig(config).retryPolicy(new RetryOneTime(100)).build()) {
            curator.start();
            if (!curator.blockUntilConnected(CONNECT_WAIT_S, TimeUnit.SECONDS)) {
                print("curator", "session", "none");
                return;
            }
            String path = curator.create().creatingParentsIfNeeded()
                    .forPath("/curator/tls-" + UUID.randomUUID(), "over tls".getBytes(StandardCharsets.UTF_8));
            print("curator", "read", new String(curator.getData().forPath(path), StandardCharsets.UTF_8));
        }
    }

    private static void print(String mode, String key, String value) {
        System.out.println("probe " + mode + "." + key + "=" + value);
    }
}
