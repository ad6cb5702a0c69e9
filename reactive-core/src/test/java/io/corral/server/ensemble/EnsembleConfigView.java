package io.corral.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.awaitility.core.ConditionTimeoutException;

import io.corral.server.compat.ZkClients;

/**
 * The ensemble's configuration as each server of a {@link ProcessCluster} holds it: {@code /zookeeper/config} (data
 * and Stat, read with the official client's {@code getConfig}), the end of {@code conf}, and the files it wrote back
 * ({@code zoo.cfg} pointing at {@code zoo.cfg.dynamic.<hex version>}).
 */
final class EnsembleConfigView {

    /** {@code /zookeeper/config} as one server answered it; the mtime (the server's own clock) left out. */
    record Config(String data, long mzxid, int version, int dataLength) {
        static Config of(byte[] data, Stat stat) {
            return new Config(new String(data, StandardCharsets.UTF_8), stat.getMzxid(), stat.getVersion(),
                    stat.getDataLength());
        }

        /** the configuration's version: its last line, {@code version=<hex>} */
        long configVersion() {
            return Long.parseLong(data.substring(data.lastIndexOf('\n') + 1).substring("version=".length()), 16);
        }

        /** the server lines, each with its newline, without the version line */
        String lines() {
            return data.substring(0, data.lastIndexOf('\n') + 1);
        }

        boolean hasMember(int id) {
            return lines().startsWith("server." + id + "=") || lines().contains("\nserver." + id + "=");
        }
    }

    private EnsembleConfigView() {
    }

    /** The config one server answers; fails if it does not (not serving, or not reachable). */
    static Config read(ProcessCluster cluster, int id) throws KeeperException, InterruptedException {
        ZooKeeper zk = ZkClients.connect(cluster.connectString(id));
        try {
            Stat stat = new Stat();
            byte[] data = zk.getConfig(false, stat);
            return Config.of(data, stat);
        } finally {
            ZkClients.closeQuietly(zk);
        }
    }

    /**
     * Waits until there is a leader and every running server its config names serves and answers the same config;
     * returns it, by member that runs. A server the config does not name (a spare not added yet, or one removed) is
     * not asked: before a reconfig adds it, a spare answers the configuration of its own files.
     */
    static Map<Integer, Config> awaitAgreement(ProcessCluster cluster, Duration timeout) {
        AtomicReference<String> last = new AtomicReference<>("nothing yet");
        try {
            return await("one configuration on every member").atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> agreement(cluster, last), agreed -> agreed != null);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the members did not agree on a configuration within " + timeout + "; last: "
                    + last.get(), e);
        }
    }

    private static Map<Integer, Config> agreement(ProcessCluster cluster, AtomicReference<String> last)
            throws InterruptedException {
        Map<Integer, ServerProcess.Role> roles = cluster.roles();
        List<Integer> leaders = roles.keySet().stream().filter(id -> roles.get(id) == ServerProcess.Role.LEADER)
                .toList();
        if (leaders.size() != 1) {
            last.set("roles " + roles);
            return null;
        }
        Map<Integer, Config> configs = new TreeMap<>();
        try {
            Config leaderView = read(cluster, leaders.get(0));
            for (int id : cluster.ids()) {
                if (leaderView.hasMember(id) && cluster.server(id).running()) {
                    configs.put(id, roles.get(id).serving() ? read(cluster, id) : null);
                }
            }
        } catch (KeeperException | RuntimeException e) {
            last.set("roles " + roles + ", configs " + configs + ", then " + e);
            return null;
        }
        last.set("roles " + roles + ", configs " + configs);
        return configs.values().stream().distinct().count() == 1 && !configs.containsValue(null) ? configs : null;
    }

    /**
     * Server {@code id} ends {@code conf} with {@code config}, and wrote it back: for a configuration a reconfig made
     * (version above 0), zoo.cfg names {@code zoo.cfg.dynamic.<hex version>}, which holds the lines sorted.
     * Waits for it (a server writes the files as it activates the configuration, after it answers reads of it).
     */
    static void awaitWrittenBack(ProcessCluster cluster, int id, Config config, Duration timeout) {
        await("server " + id + "'s conf and files hold configuration 0x" + Long.toHexString(config.configVersion()))
                .atMost(timeout).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                    assertThat(cluster.fourLetterWord(id, "conf")).as("server %d's conf", id)
                            .endsWith("\nmembership: \n" + config.data());
                    Properties cfg = zooCfg(cluster.server(id).configFile());
                    if (config.configVersion() == 0) {
                        assertThat(cfg.getProperty("dynamicConfigFile")).as("server %d's dynamicConfigFile", id)
                                .isNull();
                        return;
                    }
                    Path dynamic = Path.of(cfg.getProperty("dynamicConfigFile", "(none)"));
                    assertThat(dynamic.getFileName().toString()).as("server %d's dynamic file", id)
                            .isEqualTo("zoo.cfg.dynamic." + Long.toHexString(config.configVersion()));
                    List<String> sorted = new ArrayList<>(config.lines().lines().toList());
                    Collections.sort(sorted);
                    assertThat(Files.readString(dynamic)).isEqualTo(String.join("\n", sorted));
                    assertThat(cfg.stringPropertyNames()).noneMatch(k -> k.startsWith("server."));
                });
    }

    private static Properties zooCfg(Path file) {
        Properties cfg = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            cfg.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cfg;
    }
}
