package io.corral.server.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.corral.net.LoopbackPorts;
import io.corral.server.childjvm.FourLetterWordClient;
import io.corral.server.compat.CompatHarness;
import io.corral.server.compat.ServerUnderTest;
import io.corral.server.compat.ZkClients;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic reconfiguration with the official {@link ZooKeeperAdmin}, the same expectations on ZooKeeper 3.9.5 and on
 * Corral ({@link ReconfigOnZooKeeperTest}, {@link ReconfigOnCorralTest}). One ensemble for the whole story (ZooKeeper
 * ensembles are slow to start): three participants and an observer, and a spare server whose files list them and
 * itself. The refusals first (NOAUTH for a user who is not the super user, BADVERSION, BADARGUMENTS,
 * NEWCONFIGNOQUORUM), then: the spare added as a participant (Curator's ensemble tracker learns it), the observer
 * made a participant, two of the five voters removed and killed while the three left keep a quorum, a client port
 * moved, a member restarted from its files, and last the leader removed. After each change, the answer is the new configuration with
 * its Stat, every running member reads the same {@code /zookeeper/config}, a watch on it fires, and every member
 * wrote the configuration back to its files as ZooKeeper does.
 */
abstract class ReconfigContract {
    private static final Duration SERVING = Duration.ofSeconds(90);
    private static final Duration CONVERGED = Duration.ofSeconds(30);
    static final Map<String, String> RECONFIG = Map.of("reconfigEnabled", "true",
            "DigestAuthenticationProvider.superDigest", CompatHarness.SUPER_DIGEST);

    @TempDir
    Path dir;

    abstract StartedEnsemble start(EnsembleFiles files);

    abstract ServerUnderTest standalone();

    /**
     * What srvr says of a server a committed reconfig removed: ZooKeeper's goes on as a follower without a vote
     * (it serves clients until it is stopped); Corral's stops serving ("not serving") and joins no leader.
     */
    abstract String modeOfARemovedServer();

    @Test
    void reconfigIsDisabledByDefault() throws Exception {
        try (ServerUnderTest server = standalone()) {
            ZooKeeperAdmin admin = admin(server.connectString());
            try {
                assertThatThrownBy(() -> admin.reconfigure("server.2=127.0.0.1:1:2;3", null, null, -1, new Stat()))
                        .isInstanceOf(KeeperException.ReconfigDisabledException.class);
            } finally {
                admin.close();
            }
        }
    }

    @Test
    void growSwapAndShrinkTheEnsemble() throws Exception {
        EnsembleFiles files = new EnsembleFiles(dir, 3, 1, 1, true, null, RECONFIG);
        try (StartedEnsemble ensemble = start(files)) {
            ensemble.awaitServing(SERVING);
            Map<Long, EnsembleFiles.Server> members = new TreeMap<>();
            files.servers.subList(0, 4).forEach(s -> members.put(s.id(), s));
            String initial = awaitSameConfig(members);
            assertThat(linesOf(initial)).isEqualTo(lines(members));
            long version = versionOf(initial);

            ZooKeeperAdmin admin = admin(ensemble.connectString(1));
            ZooKeeperAdmin plain = ZkClients.plainAdmin(ensemble.connectString(2));
            try {
                EnsembleFiles.Server spare = files.servers.get(4);
                refusals(files, admin, plain, line(spare), version);

                // a spare started with the members and itself syncs without a vote, then is added
                ensemble.startServer(5);
                ensemble.awaitServing(SERVING);
                members.put(5L, spare);
                try (CuratorFramework curator = CuratorFrameworkFactory.builder()
                        .connectString(ensemble.connectString(1)).retryPolicy(new RetryOneTime(100))
                        .ensembleTracker(true).build()) {
                    curator.start();
                    assertThat(curator.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
                    version = reconfigure(files, admin, line(spare), null, version, members);
                    // Curator's ensemble tracker learns the new member from the config's change
                    await().atMost(CONVERGED).untilAsserted(() -> assertThat(curator.getZookeeperClient()
                            .getCurrentConnectionString().split(",")).containsExactlyInAnyOrderElementsOf(
                            members.values().stream().map(m -> "127.0.0.1:" + m.clientPort()).toList()));
                }

                // the observer becomes a participant: five voters
                EnsembleFiles.Server four = files.servers.get(3);
                EnsembleFiles.Server voter = new EnsembleFiles.Server(4, four.quorumPort(), four.electionPort(),
                        four.clientPort(), false);
                members.put(4L, voter);
                version = reconfigure(files, admin, line(voter), null, version, members);

                // two of five voters removed (see modeOfARemovedServer); killed, the three left keep a quorum
                members.remove(4L);
                members.remove(5L);
                reconfigure(files, admin, null, "4,5", -1, members);
                for (long removed = 4; removed <= 5; removed++) {
                    int port = files.servers.get((int) removed - 1).clientPort();
                    await().atMost(CONVERGED).untilAsserted(() -> assertThat(StartedEnsemble.mode(port))
                            .isEqualTo(modeOfARemovedServer()));
                }
                ensemble.stopServer(4);
                ensemble.stopServer(5);
                createAndReadEverywhere(admin, "/after-removal", members);

                // server 3 takes clients on another port
                EnsembleFiles.Server three = files.servers.get(2);
                EnsembleFiles.Server moved = new EnsembleFiles.Server(3, three.quorumPort(), three.electionPort(),
                        LoopbackPorts.reserve(1).get(0), false);
                members.put(3L, moved);
                reconfigure(files, admin, line(moved), null, -1, members);
                await().atMost(CONVERGED).until(() -> !StartedEnsemble.mode(moved.clientPort()).equals("not serving"));
                createAndReadEverywhere(admin, "/after-move", members);

                // a member restarted begins from the configuration it wrote back
                ensemble.stopServer(2);
                ensemble.startServer(2);
                ensemble.awaitServing(SERVING, members.values().stream().map(EnsembleFiles.Server::clientPort)
                        .toList());
                assertThat(awaitSameConfig(members)).isEqualTo(awaitSameConfig(Map.of(1L, members.get(1L))));

                // the leader removed: the two left go on, and serve writes
                long leader = members.keySet().stream()
                        .filter(id -> StartedEnsemble.mode(members.get(id).clientPort()).equals("leader"))
                        .findFirst().orElseThrow();
                members.remove(leader);
                try (ZooKeeperAdmin survivors = admin(members.values().stream()
                        .map(m -> "127.0.0.1:" + m.clientPort()).collect(java.util.stream.Collectors.joining(",")))) {
                    reconfigure(files, survivors, null, Long.toString(leader), -1, members, true);
                    createAndReadEverywhere(survivors, "/after-leader-removal", members);
                }
            } finally {
                admin.close();
                plain.close();
            }
        }
    }

    /** standaloneEnabled=false: a single participant is an ensemble of one, which a reconfig grows. */
    @Test
    void anEnsembleOfOneGrows() throws Exception {
        Map<String, String> keys = new java.util.HashMap<>(RECONFIG);
        keys.put("standaloneEnabled", "false");
        EnsembleFiles files = new EnsembleFiles(dir, 1, 0, 1, true, null, keys);
        try (StartedEnsemble ensemble = start(files)) {
            ensemble.awaitServing(SERVING);
            ensemble.startServer(2);
            ensemble.awaitServing(SERVING);
            Map<Long, EnsembleFiles.Server> members = new TreeMap<>();
            files.servers().forEach(server -> members.put(server.id(), server));
            try (ZooKeeperAdmin admin = admin(ensemble.connectString(1))) {
                reconfigure(files, admin, line(files.servers().get(1)), null, -1, members);
                createAndReadEverywhere(admin, "/grown", members);
            }
        }
    }

    static String line(EnsembleFiles.Server s) {
        return "server." + s.id() + "=" + s.writtenBack(true);
    }

    /** A write through {@code admin}, then read on every member after a sync. */
    private static void createAndReadEverywhere(ZooKeeperAdmin admin, String path,
                                                Map<Long, EnsembleFiles.Server> members) throws Exception {
        admin.create(path, "x".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (EnsembleFiles.Server s : members.values()) {
            ZooKeeper zk = ZkClients.connect("127.0.0.1:" + s.clientPort());
            try {
                zk.sync(path, (rc, p, ctx) -> { }, null);
                await().atMost(CONVERGED).until(() -> zk.exists(path, false) != null);
            } finally {
                ZkClients.closeQuietly(zk);
            }
        }
    }

    /** Each refused reconfig changes nothing. */
    private void refusals(EnsembleFiles files, ZooKeeperAdmin admin, ZooKeeperAdmin plain, String spare,
                          long version) {
        // only the super user (ZooKeeper checks WRITE on /zookeeper/config, which world may only read)
        assertThatThrownBy(() -> plain.reconfigure(spare, null, null, -1, new Stat()))
                .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> admin.reconfigure(spare, null, null, version + 1, new Stat()))
                .isInstanceOf(KeeperException.BadVersionException.class);
        String noClientPort = spare.substring(0, spare.indexOf(';'));
        assertThatThrownBy(() -> admin.reconfigure(noClientPort, null, null, -1, new Stat()))
                .isInstanceOf(KeeperException.BadArgumentsException.class);
        // voters 1, 5 and one that does not exist: no synchronised quorum of them
        Iterator<Integer> ports = LoopbackPorts.reserve(3).iterator();
        String members = "server.1=" + files.servers.get(0).writtenBack(true) + "," + spare
                + ",server.6=127.0.0.1:" + ports.next() + ":" + ports.next() + ":participant;127.0.0.1:" + ports.next();
        assertThatThrownBy(() -> admin.reconfigure((String) null, null, members, -1, new Stat()))
                .isInstanceOf(KeeperException.NewConfigNoQuorum.class);
    }

    /**
     * Runs one incremental reconfig and checks its answer, then that every member converges on it, that a watch on
     * the config fired, and the files written back. Returns the new version.
     */
    private long reconfigure(EnsembleFiles files, ZooKeeperAdmin admin, String joining, String leaving, long from,
                             Map<Long, EnsembleFiles.Server> members) throws Exception {
        return reconfigure(files, admin, joining, leaving, from, members, false);
    }

    /** {@code leaderLeaves}: the change removes the leader, and a reply lost with its term is no failure. */
    private long reconfigure(EnsembleFiles files, ZooKeeperAdmin admin, String joining, String leaving, long from,
                             Map<Long, EnsembleFiles.Server> members, boolean leaderLeaves) throws Exception {
        BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
        ZooKeeper watcher = ZkClients.connect("127.0.0.1:" + members.values().iterator().next().clientPort());
        try {
            watcher.getConfig(events::add, new Stat());
            Stat stat = new Stat();
            long before = System.currentTimeMillis();
            String answer;
            try {
                answer = new String(admin.reconfigure(joining, leaving, null, from, stat), StandardCharsets.UTF_8);
            } catch (KeeperException.ConnectionLossException e) {
                if (!leaderLeaves) {
                    throw e;
                }
                // the reply can be lost with the leader's term (ZooKeeper's followers drop their clients then):
                // the change is judged by what every member reads once they agree on it
                String[] agreed = new String[1];
                await().atMost(CONVERGED).untilAsserted(() -> {
                    agreed[0] = awaitSameConfig(members);
                    assertThat(linesOf(agreed[0])).isEqualTo(lines(members));
                });
                checkEverywhere(files, members, agreed[0], versionOf(agreed[0]));
                return versionOf(agreed[0]);
            }
            long after = System.currentTimeMillis();
            long version = stat.getMzxid();
            assertThat(answer).isEqualTo(lines(members) + "version=" + Long.toHexString(version));
            assertThat(stat.getMtime()).isBetween(before - 1000, after);
            stat.setMtime(0);
            assertThat(stat).isEqualTo(new Stat(0, version, 0, 0, -1, 0, -1, 0, answer.length(), 0, 0));

            if (!leaderLeaves) { // the watcher's server may lose its leader too
                WatchedEvent event = events.poll(30, TimeUnit.SECONDS);
                assertThat(event).isNotNull();
                assertThat(event.getType()).isEqualTo(Watcher.Event.EventType.NodeDataChanged);
                assertThat(event.getPath()).isEqualTo("/zookeeper/config");
            }
            checkEverywhere(files, members, answer, version);
            return version;
        } finally {
            ZkClients.closeQuietly(watcher);
        }
    }

    /** Every member reads {@code answer}, wrote it back, and ends conf with it. */
    private static void checkEverywhere(EnsembleFiles files, Map<Long, EnsembleFiles.Server> members,
                                          String answer, long version) {
        assertThat(awaitSameConfig(members)).isEqualTo(answer);
        for (EnsembleFiles.Server s : members.values()) {
            await().atMost(CONVERGED).untilAsserted(() -> assertWrittenBack(files, s.id(), answer, version));
            // conf ends with the configuration in force
            await().atMost(CONVERGED).untilAsserted(() -> assertThat(FourLetterWordClient.ask(s.clientPort(),
                    "conf", Duration.ofSeconds(10))).endsWith("\nmembership: \n" + answer));
        }
    }

    /** zoo.cfg points at {@code zoo.cfg.dynamic.<version>}, which holds the lines sorted, without the version. */
    private static void assertWrittenBack(EnsembleFiles files, long id, String config, long version) {
        Path zooCfg = files.zooCfg(id);
        Properties cfg = new Properties();
        try (var in = Files.newBufferedReader(zooCfg)) {
            cfg.load(in);
            Path dynamic = Path.of(cfg.getProperty("dynamicConfigFile"));
            assertThat(dynamic.getFileName().toString()).isEqualTo("zoo.cfg.dynamic." + Long.toHexString(version));
            List<String> sorted = new ArrayList<>(linesOf(config).lines().toList());
            Collections.sort(sorted);
            assertThat(Files.readString(dynamic)).isEqualTo(String.join("\n", sorted));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(cfg.stringPropertyNames()).noneMatch(k -> k.startsWith("server.") || k.startsWith("clientPort"));
        assertThat(cfg.getProperty("dataDir")).isNotNull();
    }

    /** Waits until every member reads the same /zookeeper/config (data and mzxid); returns it. */
    private static String awaitSameConfig(Map<Long, EnsembleFiles.Server> members) {
        String[] agreed = new String[1];
        await().atMost(CONVERGED).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            String first = null;
            long firstZxid = -1;
            for (EnsembleFiles.Server s : members.values()) {
                ZooKeeper zk = ZkClients.connect("127.0.0.1:" + s.clientPort());
                try {
                    Stat stat = new Stat();
                    String data = new String(zk.getConfig(false, stat), StandardCharsets.UTF_8);
                    assertThat(versionOf(data)).as("server.%d's version", s.id()).isEqualTo(stat.getMzxid());
                    if (first == null) {
                        first = data;
                        firstZxid = stat.getMzxid();
                    }
                    assertThat(data).as("server.%d's /zookeeper/config", s.id()).isEqualTo(first);
                    assertThat(stat.getMzxid()).isEqualTo(firstZxid);
                } finally {
                    ZkClients.closeQuietly(zk);
                }
            }
            agreed[0] = first;
        });
        return agreed[0];
    }

    private static long versionOf(String config) {
        String last = config.substring(config.lastIndexOf('\n') + 1);
        assertThat(last).startsWith("version=");
        return Long.parseLong(last.substring("version=".length()), 16);
    }

    /** the config without its version line (each line with its newline) */
    private static String linesOf(String config) {
        return config.substring(0, config.lastIndexOf('\n') + 1);
    }

    /** the expected lines: each member's as ZooKeeper writes it back */
    private static String lines(Map<Long, EnsembleFiles.Server> members) {
        StringBuilder text = new StringBuilder();
        members.forEach((id, s) -> text.append(line(s)).append('\n'));
        return text.toString();
    }

    static ZooKeeperAdmin admin(String connectString) {
        return ZkClients.superAdmin(connectString);
    }
}
