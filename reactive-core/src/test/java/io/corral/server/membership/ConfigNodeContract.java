package io.corral.server.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.corral.server.childjvm.FourLetterWordClient;
import io.corral.server.compat.ServerUnderTest;
import io.corral.server.compat.ZkClients;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /zookeeper/config} as the official client's {@code getConfig} reads it, on a standalone server and on
 * ensembles started from the same kind of files: its data (every {@code server.N} line as ZooKeeper writes it back,
 * then {@code version=}), and its Stat (mzxid the configuration's version, mtime the server's clock when it set the
 * node, version -1, aversion -1, the rest 0), the same on every member. Each check runs on ZooKeeper 3.9.5 and on
 * Corral ({@link ConfigNodeOnZooKeeperTest}, {@link ConfigNodeOnCorralTest}).
 */
abstract class ConfigNodeContract {
    private static final Duration SERVING = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    abstract StartedEnsemble start(EnsembleFiles files);

    abstract ServerUnderTest standalone();

    @Test
    void standaloneServerHasAnEmptyNode() throws Exception {
        try (ServerUnderTest server = standalone()) {
            ZooKeeper zk = ZkClients.connect(server.connectString());
            try {
                Stat stat = new Stat();
                assertThat(zk.getConfig(false, stat)).isEmpty();
                assertThat(stat).isEqualTo(new Stat(0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0));
            } finally {
                ZkClients.closeQuietly(zk);
            }
        }
    }

    @Test
    void threeParticipants() throws Exception {
        everyMemberReadsTheConfig(new EnsembleFiles(dir, 3, 0, false, null, Map.of()));
    }

    @Test
    void observerAndClientAddressesInTheLines() throws Exception {
        everyMemberReadsTheConfig(new EnsembleFiles(dir, 2, 1, true, null, Map.of()));
    }

    @Test
    void linesInADynamicFileTakeTheVersionOfItsName() throws Exception {
        EnsembleFiles files = new EnsembleFiles(dir, 3, 0, true, "100000000", Map.of());
        Map<Path, String> before = files.contents();
        everyMemberReadsTheConfig(files);
        // reconfigEnabled is off: nothing is written back
        assertThat(files.contents()).isEqualTo(before);
    }

    @Test
    void aSingleParticipantWithStandaloneDisabledIsAnEnsembleOfOne() throws Exception {
        everyMemberReadsTheConfig(new EnsembleFiles(dir, 1, 0, false, null, Map.of("standaloneEnabled", "false")));
    }

    @Test
    void serverLinesBesideADynamicFileAreRefused() throws IOException {
        EnsembleFiles files = new EnsembleFiles(dir, 3, 0, false, "1", Map.of());
        for (EnsembleFiles.Server s : files.servers) {
            Files.writeString(files.zooCfg(s.id()), "server.9=127.0.0.1:1:2\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
        }
        assertThatThrownBy(() -> start(files).close())
                .hasMessageContaining("must be in a separate dynamic config file");
    }

    @Test
    void aVersionInsideTheDynamicFileIsRefused() throws IOException {
        EnsembleFiles files = new EnsembleFiles(dir, 3, 0, false, "1", Map.of());
        for (EnsembleFiles.Server s : files.servers) {
            Files.writeString(files.root.resolve("s" + s.id()).resolve("zoo.cfg.dynamic.1"), "version=2\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        }
        assertThatThrownBy(() -> start(files).close())
                .hasMessageContaining("dynamic file shouldn't have version inside");
    }

    /** conf on each member: ZooKeeper's quorum keys in its order, and last the membership as /zookeeper/config says. */
    @Test
    void confEndsWithTheMembership() {
        EnsembleFiles files = new EnsembleFiles(dir, 2, 1, false, null, Map.of());
        try (StartedEnsemble ensemble = start(files)) {
            ensemble.awaitServing(SERVING);
            for (EnsembleFiles.Server s : files.servers) {
                String conf = FourLetterWordClient.ask(s.clientPort(), "conf", Duration.ofSeconds(10));
                assertThat(conf).as("server.%d's conf", s.id())
                        .endsWith("\nmembership: \n" + files.expectedConfigData());
                assertThat(conf.lines()).containsSubsequence("serverId=" + s.id(), "initLimit=20", "syncLimit=10",
                        "electionAlg=3", "electionPort=" + s.electionPort(), "quorumPort=" + s.quorumPort(),
                        "peerType=" + (s.observer() ? 1 : 0), "membership: ");
            }
        }
    }

    /**
     * Curator's ensemble tracker watches {@code /zookeeper/config}: a client given one server learns every member's
     * client address from it, and Curator's {@code getConfig()} reads the same data as the official client.
     */
    @Test
    void curatorLearnsTheEnsembleFromTheConfig() throws Exception {
        EnsembleFiles files = new EnsembleFiles(dir, 3, 0, true, null, Map.of());
        try (StartedEnsemble ensemble = start(files)) {
            ensemble.awaitServing(SERVING);
            try (CuratorFramework curator = CuratorFrameworkFactory.builder().connectString(ensemble.connectString(2))
                    .retryPolicy(new RetryOneTime(100)).ensembleTracker(true).build()) {
                curator.start();
                assertThat(curator.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
                assertThat(new String(curator.getConfig().forEnsemble(), StandardCharsets.UTF_8))
                        .isEqualTo(files.expectedConfigData());
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        curator.getZookeeperClient().getCurrentConnectionString().split(","))
                        .containsExactlyInAnyOrder(ensemble.connectString(1), ensemble.connectString(2),
                                ensemble.connectString(3)));
            }
        }
    }

    private void everyMemberReadsTheConfig(EnsembleFiles files) throws Exception {
        long before = System.currentTimeMillis();
        try (StartedEnsemble ensemble = start(files)) {
            ensemble.awaitServing(SERVING);
            for (EnsembleFiles.Server s : files.servers) {
                ZooKeeper zk = ZkClients.connect(ensemble.connectString(s.id()));
                try {
                    Stat stat = new Stat();
                    String data = new String(zk.getConfig(false, stat), StandardCharsets.UTF_8);
                    long after = System.currentTimeMillis();
                    assertThat(data).as("server.%d's /zookeeper/config", s.id()).isEqualTo(files.expectedConfigData());
                    assertThat(stat.getMtime()).as("mtime").isBetween(before, after);
                    stat.setMtime(0);
                    assertThat(stat).as("server.%d's Stat", s.id()).isEqualTo(new Stat(0, files.expectedVersion(),
                            0, 0, -1, 0, -1, 0, data.length(), 0, 0));
                } finally {
                    ZkClients.closeQuietly(zk);
                }
            }
        }
    }
}
