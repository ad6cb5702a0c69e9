package io.corral.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.corral.server.CorralServer;
import io.corral.server.compat.CompatHarness;
import io.corral.server.compat.ZkClients;
import io.corral.server.config.DataDirectories;
import io.corral.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Online backup and restore through the AdminServer's snapshot and restore commands, with the official ZooKeeper
 * client: a backup taken while a client keeps writing, restored into a fresh server, holds every write acknowledged
 * before the backup began and is the state of one zxid (each write sets a counter and creates a node in one multi, so
 * a state mixing two moments shows as a counter that disagrees with the nodes); the restored server serves clients
 * and keeps the state across a restart.
 */
class BackupAndRestoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUPER = "digest " + CompatHarness.SUPER_USER_PASSWORD;
    private static final int PRELOADED = 20_000;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        dirs.forEach(CompatHarness::deleteRecursively);
    }

    @Test
    void aBackupTakenWhileWritesGoOnRestoresIntoAFreshServer() throws Exception {
        CorralServer source = start(newDir(), Map.of("admin.rateLimiterIntervalInMS", "0"));
        ZooKeeper writerClient = client(source);
        writerClient.create("/load", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        writerClient.create("/counter", "0".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        List<Op> batch = new ArrayList<>();
        for (int i = 0; i < PRELOADED; i++) {
            batch.add(Op.create("/preloaded-" + i, new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT));
            if (batch.size() == 500) {
                writerClient.multi(batch);
                batch.clear();
            }
        }

        AtomicInteger acknowledged = new AtomicInteger(-1);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; writing.get(); i++) {
                    writerClient.multi(List.of(
                            Op.create(String.format("/load/item-%08d", i), new byte[10],
                                    ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                            Op.setData("/counter", Integer.toString(i + 1).getBytes(), -1)));
                    acknowledged.set(i);
                }
            } catch (Throwable e) {
                writerFailure.set(e);
            }
        }, "backup-test-writer");
        writer.start();
        while (acknowledged.get() < 50 && writerFailure.get() == null) {
            Thread.onSpinWait();
        }
        int acknowledgedBefore = acknowledged.get();
        Path backup = newDir().resolve("backup");
        HttpResponse<Path> answer = http.send(HttpRequest.newBuilder(
                        adminUri(source, "/snapshot?streaming=true")).header("Authorization", SUPER).GET().build(),
                HttpResponse.BodyHandlers.ofFile(backup));
        int acknowledgedAfter = acknowledged.get();
        writing.set(false);
        writer.join();
        assertThat(writerFailure.get()).isNull();
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("content-type")).hasValue("application/octet-stream");
        assertThat(answer.headers().firstValue("snapshot_size")).hasValue(Long.toString(Files.size(backup)));
        String lastZxid = answer.headers().firstValue("last_zxid").orElseThrow();
        assertThat(lastZxid).startsWith("0x");
        System.out.printf("backup of 0x%s: %d bytes; %d writes acknowledged while it was taken%n",
                lastZxid.substring(2), Files.size(backup), acknowledgedAfter - acknowledgedBefore);

        CorralServer restored = start(newDir(), Map.of("admin.rateLimiterIntervalInMS", "0"));
        HttpResponse<String> restoring = http.send(HttpRequest.newBuilder(adminUri(restored, "/restore"))
                        .header("Authorization", SUPER).header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofFile(backup)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(restoring.statusCode()).as(restoring.body()).isEqualTo(200);
        JsonNode restoredJson = JSON.readTree(restoring.body());
        assertThat(restoredJson.get("command").asText()).isEqualTo("restore");
        assertThat(restoredJson.get("error").isNull()).isTrue();
        assertThat(restoredJson.get("last_zxid").asLong()).isEqualTo(Long.decode(lastZxid));

        ZooKeeper reader = client(restored);
        int items = assertConsistent(reader, acknowledgedBefore, Long.decode(lastZxid));
        reader.create("/after-restore", "new".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(reader.getData("/after-restore", false, null)).isEqualTo("new".getBytes());

        // the restored state and the writes after it are the server's own: they outlive a restart
        Path restoredDir = dirs.get(dirs.size() - 1);
        ZkClients.closeQuietly(reader);
        closing.remove(reader);
        restored.close();
        closing.remove(restored);
        CorralServer restarted = start(restoredDir, Map.of());
        ZooKeeper again = client(restarted);
        assertThat(assertConsistent(again, acknowledgedBefore, Long.decode(lastZxid))).isEqualTo(items);
        assertThat(again.getData("/after-restore", false, null)).isEqualTo("new".getBytes());
    }

    @Test
    void onlyIdsHoldingEveryPermissionOnTheRootMayTakeOrRestoreABackup() throws Exception {
        CorralServer server = start(newDir(), Map.of("admin.rateLimiterIntervalInMS", "0"));
        assertAnswer(get(server, "/snapshot?streaming=true", null), 401, "snapshot",
                "Auth info is missing for the command");
        assertAnswer(get(server, "/snapshot?streaming=true", "digest"), 401, "snapshot", "Not authenticated");
        assertAnswer(get(server, "/snapshot?streaming=true", "kerberos someone"), 401, "snapshot",
                "Not authenticated");
        // an open root, as ZooKeeper's by default: any authenticated id holds every permission on it
        assertThat(get(server, "/snapshot?streaming=true", "digest anyone:pw").statusCode()).isEqualTo(200);

        ZooKeeper zk = client(server);
        zk.addAuthInfo("digest", "admin:pw".getBytes());
        zk.setACL("/", java.util.Arrays.asList(new ACL(ZooDefs.Perms.ALL, new Id("digest",
                CompatHarness.digestId("admin:pw")))), -1);
        assertAnswer(get(server, "/snapshot?streaming=true", "digest anyone:pw"), 403, "snapshot",
                "Not authorized");
        assertThat(get(server, "/snapshot?streaming=true", "digest admin:pw").statusCode()).isEqualTo(200);
        assertThat(get(server, "/snapshot?streaming=true", SUPER).statusCode()).isEqualTo(200);
        HttpResponse<String> restore = http.send(HttpRequest.newBuilder(adminUri(server, "/restore"))
                .header("Authorization", "digest anyone:pw")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertAnswer(restore, 403, "restore", "Not authorized");
    }

    @Test
    void theCommandsAreRateLimitedAndCanBeTurnedOff() throws Exception {
        CorralServer limited = start(newDir(), Map.of());
        assertThat(get(limited, "/snapshot?streaming=true", SUPER).statusCode()).isEqualTo(200);
        assertAnswer(get(limited, "/snapshot?streaming=true", SUPER), 429, "snapshot", null);

        CorralServer off = start(newDir(), Map.of("admin.snapshot.enabled", "false",
                "admin.restore.enabled", "false"));
        assertAnswer(get(off, "/snapshot", SUPER), 503, "snapshot", null);
        HttpResponse<String> restore = http.send(HttpRequest.newBuilder(adminUri(off, "/restore"))
                .header("Authorization", SUPER).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertAnswer(restore, 503, "restore", null);
    }

    @Test
    void aDamagedBackupIsRefusedAndTheStateKept() throws Exception {
        CorralServer source = start(newDir(), Map.of("admin.rateLimiterIntervalInMS", "0"));
        ZooKeeper zk = client(source);
        zk.create("/kept", "yes".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        byte[] backup = http.send(HttpRequest.newBuilder(adminUri(source, "/snapshot?streaming=true"))
                .header("Authorization", SUPER).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        byte[] damaged = backup.clone();
        damaged[damaged.length / 2] ^= 0x40;
        for (byte[] body : List.of(damaged, java.util.Arrays.copyOf(backup, backup.length - 1),
                "not a backup".getBytes())) {
            HttpResponse<String> restore = http.send(HttpRequest.newBuilder(adminUri(source, "/restore"))
                    .header("Authorization", SUPER).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(restore.statusCode()).as(restore.body()).isEqualTo(500);
            assertThat(JSON.readTree(restore.body()).get("error").asText()).isNotEmpty();
        }
        assertThat(zk.getData("/kept", false, null)).isEqualTo("yes".getBytes());
    }

    @Test
    void withoutStreamingTheBackupIsKeptInTheSnapshotDirectory() throws Exception {
        Path dir = newDir();
        CorralServer server = start(dir, Map.of("admin.rateLimiterIntervalInMS", "0"));
        client(server).create("/x", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        HttpResponse<String> answer = get(server, "/snapshot", SUPER);
        assertAnswer(answer, 200, "snapshot", null);
        long zxid = Long.decode(answer.headers().firstValue("last_zxid").orElseThrow());
        Path kept = dir.resolve(DataDirectories.SNAPSHOTS).resolve(String.format("backup.%016x", zxid));
        assertThat(kept).exists();
        assertThat(Files.size(kept)).isEqualTo(Long.parseLong(answer.headers().firstValue("snapshot_size")
                .orElseThrow()));
    }

    /**
     * The restored tree is one state: the counter, set in the same multi as each item's create, agrees with the
     * items, which are a prefix of the writer's; every write acknowledged before the backup is there. Returns the
     * number of items.
     */
    private static int assertConsistent(ZooKeeper zk, int acknowledgedBefore, long zxid) throws Exception {
        List<String> items = zk.getChildren("/load", false);
        int counter = Integer.parseInt(new String(zk.getData("/counter", false, null)));
        assertThat(items).hasSize(counter);
        for (int i = 0; i < counter; i++) {
            assertThat(items).contains(String.format("item-%08d", i));
        }
        assertThat(counter).isGreaterThan(acknowledgedBefore);
        Stat stat = zk.exists("/counter", false);
        assertThat(stat.getMzxid()).isLessThanOrEqualTo(zxid);
        assertThat(zk.exists("/preloaded-" + (PRELOADED - 1), false)).isNotNull();
        return counter;
    }

    private static void assertAnswer(HttpResponse<String> response, int status, String command, String error)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.get("command").asText()).isEqualTo(command);
        if (error == null) {
            assertThat(json.get("error").isNull()).as(response.body()).isTrue();
        } else {
            assertThat(json.get("error").asText()).isEqualTo(error);
        }
    }

    private HttpResponse<String> get(CorralServer server, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(adminUri(server, path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI adminUri(CorralServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.adminAddress().getPort() + "/commands" + path);
    }

    private CorralServer start(Path dir, Map<String, String> extra) {
        Map<String, String> keys = new LinkedHashMap<>(extra);
        keys.put("dataDir", dir.toString());
        keys.put("clientPort", "0");
        keys.put("clientPortAddress", "127.0.0.1");
        keys.put("admin.enableServer", "true");
        keys.put("admin.serverAddress", "127.0.0.1");
        keys.put("admin.serverPort", "0");
        keys.put("DigestAuthenticationProvider.superDigest", CompatHarness.SUPER_DIGEST);
        CorralServer server = CorralServer.start(ServerConfig.parse(keys));
        closing.add(server);
        return server;
    }

    private ZooKeeper client(CorralServer server) {
        ZooKeeper zk = ZkClients.connect("127.0.0.1:" + server.clientAddress().getPort());
        closing.add(zk::close);
        return zk;
    }

    private Path newDir() {
        Path dir = CompatHarness.newTempDir("corral-backup-");
        dirs.add(dir);
        return dir;
    }
}
