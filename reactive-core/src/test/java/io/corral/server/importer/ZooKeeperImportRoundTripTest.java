package io.corral.server.importer;

import io.corral.server.CorralServer;
import io.corral.server.compat.CompatHarness;
import io.corral.server.compat.ZkClients;
import io.corral.server.config.DataDirectories;
import io.corral.server.config.ServerConfig;
import io.corral.server.snapshot.LoadedSnapshot;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.persistence.SnapStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The import round trip: Apache ZooKeeper 3.9.5 writes a data directory (plain, gzip and snappy snapshots, many log
 * files, a torn tail), Corral imports it and then serves the official client the very tree ZooKeeper served before
 * it stopped, node by node (data, Stat, ACL), and the session that still owned ephemerals reattaches to Corral with
 * the id and password ZooKeeper gave it.
 */
class ZooKeeperImportRoundTripTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(value = SnapStream.StreamMode.class)
    void corralServesTheTreeZooKeeperServed(SnapStream.StreamMode mode) throws Exception {
        ZooKeeperWrittenData zk = ZooKeeperWrittenData.write(tmp, mode);
        try {
            ZooKeeperWrittenData.tearNewestLog(zk.logDir());
            assertThat(ZkSnapshotFiles.list(zk.logDir().resolve("version-2"), ZkSnapshotFiles.LOG_PREFIX))
                    .as("ZooKeeper rolled its log").hasSizeGreaterThan(3);
            assertThat(ZkSnapshotFiles.list(zk.dataDir().resolve("version-2"), ZkSnapshotFiles.SNAPSHOT_PREFIX))
                    .as("ZooKeeper took snapshots").hasSizeGreaterThan(3)
                    .allSatisfy(p -> assertThat(ZkSnapshotFiles.compressionOf(p)).isEqualTo(mode.getName()));

            Path target = tmp.resolve("corral-data");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = ImportCommand.run(new String[] {"--zookeeper-data", zk.dataDir().toString(),
                "--zookeeper-log", zk.logDir().toString(), "--to", target.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String report = out.toString(StandardCharsets.UTF_8);
            System.out.print(report);
            assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(report).contains("torn tail at offset").contains("Digest: matches the digest ZooKeeper recorded")
                    .contains("Imported: " + zk.served().size() + " nodes");
            java.util.regex.Matcher recorded = java.util.regex.Pattern
                    .compile("matches the digest ZooKeeper recorded .*\\(([0-9a-f]+)\\)").matcher(report);
            assertThat(recorded.find()).as(report).isTrue();
            assertThat(LoadedSnapshot.load(target.resolve(DataDirectories.SNAPSHOTS)).tree().digest())
                    .as("the digest Corral keeps for the imported tree, loaded as the server loads it")
                    .isEqualTo(Long.parseUnsignedLong(recorded.group(1), 16));

            try (CorralServer corral = startCorral(target)) {
                String connect = "127.0.0.1:" + corral.clientAddress().getPort();
                ZooKeeper reader = ZkClients.connect(connect);
                ZooKeeper reattached = null;
                try {
                    reader.addAuthInfo("digest", CompatHarness.SUPER_USER_PASSWORD.getBytes(StandardCharsets.UTF_8));
                    Map<String, String> served = ServedTree.read(reader);
                    assertThat(served).isEqualTo(zk.served());

                    reattached = ZkClients.reattach(connect, 30_000, zk.sessionId(), zk.password(), e -> { });
                    assertThat(reattached.getSessionId()).isEqualTo(zk.sessionId());
                    Stat stat = reattached.exists(zk.ephemeral(), false);
                    assertThat(stat).isNotNull();
                    assertThat(stat.getEphemeralOwner()).isEqualTo(zk.sessionId());
                } finally {
                    ZkClients.closeQuietly(reader, reattached);
                }
            }
        } finally {
            zk.survivor().close(100);
        }
    }

    static CorralServer startCorral(Path dataDir) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("extendedTypesEnabled", "true");
        config.put("DigestAuthenticationProvider.superDigest", CompatHarness.SUPER_DIGEST);
        config.put("clientPort", "0");
        config.put("clientPortAddress", "127.0.0.1");
        config.put("dataDir", dataDir.toString());
        return CorralServer.start(ServerConfig.parse(config));
    }
}
