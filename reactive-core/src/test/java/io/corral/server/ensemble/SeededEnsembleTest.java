package io.corral.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.log.SnapshotFile;
import io.corral.server.CorralServer;
import io.corral.server.compat.CompatHarness;
import io.corral.server.compat.ZkClients;
import io.corral.server.config.DataDirectories;
import io.corral.server.config.ServerConfig;
import io.corral.server.importer.ImportedZooKeeperData;
import io.corral.server.importer.ServedTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An ensemble started from one data directory, the ways an operator gets one: imported from Apache ZooKeeper 3.9.5's
 * files, or a standalone server into which a backup was restored (the recovery path when a quorum is lost). Copied
 * to every member, the ensemble serves the very tree (data, Stat and ACL of every node, through the official client
 * on each member), writes go on with zxids above the seeded history's (in a later epoch, whatever the epoch of the
 * seeded zxids), and a member restarted later catches up. Given to one member only, that member leads (its history
 * is the newest) and the empty ones get the tree from it as a snapshot.
 */
class SeededEnsembleTest {
    private static final Duration SERVING = Duration.ofSeconds(60);
    /** /zookeeper/config is each server's own configuration, not part of the seeded tree */
    private static final String CONFIG_NODE = "/zookeeper/config";

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        dirs.forEach(CompatHarness::deleteRecursively);
    }

    @Test
    void threeMembersStartedFromOneImportServeZooKeepersTree() throws Exception {
        ImportedZooKeeperData zk = ImportedZooKeeperData.write(newDir("corral-zk-import-"));
        closing.add(zk);
        long seeded = newestSnapshotZxid(zk.corralDataDir());
        InProcessEnsemble ensemble = ensemble(Map.of());
        for (long id : ensemble.ids()) {
            copyDataDirectory(zk.corralDataDir(), ensemble.dataDir(id));
        }
        ensemble.startAll();
        long leader = ensemble.awaitServing(SERVING);
        long follower = ensemble.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();

        Map<String, String> expected = withoutConfigNode(zk.served());
        for (long id : ensemble.ids()) {
            assertSameTree(withoutConfigNode(served(ensemble.connectString(id))), expected, "server " + id);
        }
        // ZooKeeper's session, still owning ephemerals, carries on in the ensemble
        ZooKeeper reattached = ZkClients.reattach(ensemble.connectString(follower), 30_000, zk.sessionId(),
                zk.password(), e -> { });
        try {
            Stat ephemeral = reattached.exists(zk.ephemeral(), false);
            assertThat(ephemeral).isNotNull();
            assertThat(ephemeral.getEphemeralOwner()).isEqualTo(zk.sessionId());
        } finally {
            ZkClients.closeQuietly(reattached);
        }

        assertWritesGoOnAfter(ensemble, follower, seeded);
        assertARestartedMemberCatchesUp(ensemble, leader, follower);
    }

    @Test
    void threeMembersStartedFromARestoredStandaloneServeItsTree() throws Exception {
        Restored restored = restoredStandalone();
        Path standaloneDir = restored.dataDir();
        Map<String, String> expected = restored.tree();
        long seeded = restored.seeded();
        assertThat(expected).containsKeys("/before-the-leader-change", "/after-the-leader-change",
                "/written-after-the-restore");
        assertThat(epochOf(seeded)).as("the restored history's epoch: not below the one leader 3 of a fresh ensemble "
                + "takes").isGreaterThanOrEqualTo(2);

        InProcessEnsemble ensemble = ensemble(Map.of());
        for (long id : ensemble.ids()) {
            copyDataDirectory(standaloneDir, ensemble.dataDir(id));
        }
        ensemble.startAll();
        long leader = ensemble.awaitServing(SERVING);
        long follower = ensemble.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
        for (long id : ensemble.ids()) {
            assertSameTree(withoutConfigNode(served(ensemble.connectString(id))), expected, "server " + id);
        }
        assertWritesGoOnAfter(ensemble, follower, seeded);
        assertARestartedMemberCatchesUp(ensemble, leader, follower);
    }

    /** A stopped standalone server's data directory, the tree it served, and the zxid of its last write. */
    private record Restored(Path dataDir, Map<String, String> tree, long seeded) {
    }

    /**
     * The recovery path after a lost quorum: a backup of an ensemble (after a leader change) restored into a fresh
     * standalone server, which takes one more write and is stopped.
     */
    private Restored restoredStandalone() throws Exception {
        Path backup = backupOfAnEnsembleAfterALeaderChange();
        Path standaloneDir = newDir("corral-restored-");
        try (CorralServer standalone = CorralServer.start(ServerConfig.parse(keys(standaloneDir, Map.of(
                "admin.enableServer", "true", "admin.serverAddress", "127.0.0.1", "admin.serverPort", "0"))))) {
            HttpResponse<String> restored = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + standalone.adminAddress().getPort() + "/commands/restore"))
                    .header("Authorization", "digest " + CompatHarness.SUPER_USER_PASSWORD)
                    .POST(HttpRequest.BodyPublishers.ofFile(backup)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
            String connect = "127.0.0.1:" + standalone.clientAddress().getPort();
            long seeded = write(connect, "/written-after-the-restore");
            return new Restored(standaloneDir, withoutConfigNode(served(connect)), seeded);
        }
    }

    /** Seeded from ZooKeeper's files, whose zxids are of epoch 0: below any epoch a Corral leader takes. */
    @Test
    void oneMemberSeededFromAnImportLeadsAndTheEmptyOnesGetItsSnapshot() throws Exception {
        ImportedZooKeeperData zk = ImportedZooKeeperData.write(newDir("corral-zk-import-"));
        closing.add(zk);
        assertOneSeededMemberLeads(zk.corralDataDir(), withoutConfigNode(zk.served()),
                newestSnapshotZxid(zk.corralDataDir()), newestSnapshotZxid(zk.corralDataDir()));
    }

    /** Seeded from a restored backup whose zxids are of a later epoch than a fresh ensemble's. */
    @Test
    void oneMemberSeededFromARestoredBackupLeadsAndTheEmptyOnesGetItsSnapshot() throws Exception {
        Restored restored = restoredStandalone();
        Path standaloneDir = restored.dataDir();
        Map<String, String> expected = restored.tree();
        long seeded = restored.seeded();
        assertOneSeededMemberLeads(standaloneDir, expected, seeded, newestSnapshotZxid(standaloneDir));
    }

    /**
     * Server 1 only holds the seeded history (its id is the lowest: it cannot win on its id); it must lead, and the
     * two empty members must get the tree from it as a snapshot: their snapshot directory holds it afterwards.
     */
    private void assertOneSeededMemberLeads(Path seed, Map<String, String> expected, long seeded, long seedSnapshot)
            throws Exception {
        InProcessEnsemble ensemble = ensemble(Map.of());
        copyDataDirectory(seed, ensemble.dataDir(1));
        // the seeded member first, as the operator starts it: the others hear its vote when they start
        ensemble.start(1);
        await().atMost(SERVING).until(() -> !ensemble.fourLetterWord(1, "srvr").isEmpty());
        ensemble.start(2);
        ensemble.start(3);
        long leader = ensemble.awaitServing(SERVING);
        assertThat(leader).as("the member holding the newest history leads").isEqualTo(1);
        for (long id : ensemble.ids()) {
            assertSameTree(withoutConfigNode(served(ensemble.connectString(id))), expected, "server " + id);
        }
        for (long id : List.of(2L, 3L)) {
            assertThat(SnapshotFile.list(ensemble.dataDir(id).resolve(DataDirectories.SNAPSHOTS)))
                    .as("server %d was sent the leader's snapshot", id)
                    .anySatisfy(s -> assertThat(SnapshotFile.zxidOf(s)).isGreaterThanOrEqualTo(seedSnapshot));
        }
        assertWritesGoOnAfter(ensemble, 2, seeded);
    }

    /**
     * A backup from the follower of a Corral ensemble whose first leader was stopped, so that the backup's zxids are
     * of an epoch above the one a fresh ensemble's first leader takes.
     */
    private Path backupOfAnEnsembleAfterALeaderChange() throws Exception {
        InProcessEnsemble source = ensemble(Map.of("admin.enableServer", "true", "admin.serverAddress", "127.0.0.1",
                "admin.serverPort", "0", "admin.rateLimiterIntervalInMS", "0"));
        source.startAll();
        long first = source.awaitServing(SERVING);
        write(source.connectString(first), "/before-the-leader-change");
        source.stop(first);
        long second = source.awaitServing(SERVING);
        source.start(first);
        source.awaitServing(SERVING);
        write(source.connectString(second), "/after-the-leader-change");
        long follower = source.ids().stream().filter(id -> id != second).findFirst().orElseThrow();
        served(source.connectString(follower)); // synced: it has applied the leader's writes
        Path backup = newDir("corral-backup-").resolve("backup");
        HttpResponse<Path> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + source.server(follower).adminAddress().getPort() + "/commands/snapshot?streaming=true"))
                .header("Authorization", "digest " + CompatHarness.SUPER_USER_PASSWORD).GET().build(),
                HttpResponse.BodyHandlers.ofFile(backup));
        assertThat(answer.statusCode()).isEqualTo(200);
        source.close();
        return backup;
    }

    /** A write through {@code via} gets a zxid above the seeded history's, in a later epoch, seen by every member. */
    private static void assertWritesGoOnAfter(InProcessEnsemble ensemble, long via, long seeded) throws Exception {
        long zxid = write(ensemble.connectString(via), "/written-by-the-ensemble");
        assertThat(zxid).as("0x%x after the seeded 0x%x", zxid, seeded).isGreaterThan(seeded);
        assertThat(epochOf(zxid)).as("0x%x in an epoch after the seeded 0x%x", zxid, seeded)
                .isGreaterThan(epochOf(seeded));
        for (long id : ensemble.ids()) {
            assertThat(served(ensemble.connectString(id))).as("server %d", id).containsKey("/written-by-the-ensemble");
        }
    }

    /** A follower stopped while writes go on catches up when it starts again: it serves what the leader serves. */
    private static void assertARestartedMemberCatchesUp(InProcessEnsemble ensemble, long leader, long follower)
            throws Exception {
        ensemble.stop(follower);
        ZooKeeper zk = ZkClients.connect(ensemble.connectString(leader));
        try {
            for (int i = 0; i < 50; i++) {
                zk.create("/while-" + follower + "-was-down-" + i, new byte[] {(byte) i}, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT);
            }
        } finally {
            ZkClients.closeQuietly(zk);
        }
        ensemble.start(follower);
        ensemble.awaitServing(SERVING);
        assertSameTree(withoutConfigNode(served(ensemble.connectString(follower))),
                withoutConfigNode(served(ensemble.connectString(leader))),
                "server " + follower + " restarted, against its leader " + leader);
    }

    private InProcessEnsemble ensemble(Map<String, String> extra) {
        Map<String, String> keys = new LinkedHashMap<>(extra);
        keys.put("extendedTypesEnabled", "true");
        keys.put("DigestAuthenticationProvider.superDigest", CompatHarness.SUPER_DIGEST);
        keys.putIfAbsent("admin.enableServer", "false");
        InProcessEnsemble ensemble = new InProcessEnsemble(newDir("corral-seeded-ensemble-"), 3, 0, keys);
        closing.add(ensemble);
        return ensemble;
    }

    private static Map<String, String> keys(Path dataDir, Map<String, String> extra) {
        Map<String, String> keys = new LinkedHashMap<>(extra);
        keys.put("extendedTypesEnabled", "true");
        keys.put("DigestAuthenticationProvider.superDigest", CompatHarness.SUPER_DIGEST);
        keys.put("clientPort", "0");
        keys.put("clientPortAddress", "127.0.0.1");
        keys.put("dataDir", dataDir.toString());
        return keys;
    }

    /** Creates a node; returns its zxid. */
    private static long write(String connect, String path) throws Exception {
        ZooKeeper zk = ZkClients.connect(connect);
        try {
            Stat stat = new Stat();
            zk.create(path, path.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                    stat);
            return stat.getCzxid();
        } finally {
            ZkClients.closeQuietly(zk);
        }
    }

    /** Every node one member serves, after a sync (it has applied what the leader committed before). */
    private static Map<String, String> served(String connect) throws Exception {
        ZooKeeper zk = ZkClients.connect(connect);
        try {
            zk.addAuthInfo("digest", CompatHarness.SUPER_USER_PASSWORD.getBytes(StandardCharsets.UTF_8));
            CompletableFuture<Void> synced = new CompletableFuture<>();
            zk.sync("/", (rc, path, ctx) -> synced.complete(null), null);
            synced.get(30, TimeUnit.SECONDS);
            return ServedTree.read(zk);
        } finally {
            ZkClients.closeQuietly(zk);
        }
    }

    /** Equal trees; otherwise the paths that differ, each side's entry cut short (a node may hold 100 KB). */
    private static void assertSameTree(Map<String, String> actual, Map<String, String> expected, String what) {
        if (actual.equals(expected)) {
            return;
        }
        StringBuilder differences = new StringBuilder();
        TreeMap<String, String> paths = new TreeMap<>(expected);
        paths.putAll(actual);
        for (String path : paths.keySet()) {
            String a = actual.get(path);
            String e = expected.get(path);
            if (a == null || !a.equals(e)) {
                differences.append('\n').append(path).append("\n  served:   ").append(cut(a))
                        .append("\n  expected: ").append(cut(e));
            }
        }
        throw new AssertionError(what + " serves a different tree:" + differences);
    }

    private static String cut(String entry) {
        return entry == null ? "(none)" : entry.length() > 300 ? "..." + entry.substring(entry.length() - 300) : entry;
    }

    private static Map<String, String> withoutConfigNode(Map<String, String> served) {
        Map<String, String> tree = new TreeMap<>(served);
        tree.remove(CONFIG_NODE);
        return tree;
    }

    private static long epochOf(long zxid) {
        return zxid >>> 32;
    }

    private static long newestSnapshotZxid(Path dataDir) {
        return SnapshotFile.zxidOf(SnapshotFile.list(dataDir.resolve(DataDirectories.SNAPSHOTS)).get(0));
    }

    /** Copies a stopped server's data directory, as an operator copies it to another machine. */
    private static void copyDataDirectory(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private Path newDir(String prefix) {
        Path dir = CompatHarness.newTempDir(prefix);
        dirs.add(dir);
        return dir;
    }
}
