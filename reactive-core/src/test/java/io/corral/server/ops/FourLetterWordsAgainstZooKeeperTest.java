package io.corral.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.server.compat.CorralServers;
import io.corral.server.compat.ServerUnderTest;
import io.corral.server.compat.ZkClients;
import io.corral.server.compat.ZooKeeperServers;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.FourLetterWordMain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every four-letter word of ZooKeeper 3.9 asked of Corral and of Apache ZooKeeper 3.9.5 holding the same tree, the same
 * sessions and the same watches: the answers have the same shape (the same labels and keys, line by line), and the
 * figures that describe that state agree.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FourLetterWordsAgainstZooKeeperTest {

    private ServerUnderTest corral;
    private ServerUnderTest zookeeper;
    private ZooKeeper corralClient;
    private ZooKeeper zookeeperClient;

    @BeforeAll
    void start() throws Exception {
        corral = CorralServers.start(Map.of());
        zookeeper = ZooKeeperServers.start(Map.of());
        corralClient = ZkClients.connect(corral.connectString());
        zookeeperClient = ZkClients.connect(zookeeper.connectString());
        for (ZooKeeper zk : List.of(corralClient, zookeeperClient)) {
            CorralBesideZooKeeper.sameState(zk);
            zk.exists("/app/a", true);
        }
    }

    @AfterAll
    void stop() {
        ZkClients.closeQuietly(corralClient, zookeeperClient);
        if (corral != null) {
            corral.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    @Test
    void mntrPrintsZooKeepersKeysWithTheSameFigures() throws Exception {
        Map<String, String> ours = keyValues(ask(corral, "mntr"), "\t");
        Map<String, String> theirs = keyValues(ask(zookeeper, "mntr"), "\t");
        Set<String> ourZkKeys = new LinkedHashSet<>(ours.keySet());
        ourZkKeys.removeIf(key -> !key.startsWith("zk_"));
        assertThat(theirs.keySet()).as("every zk_ key Corral prints is one of ZooKeeper's").containsAll(ourZkKeys);
        assertThat(ourZkKeys).as("the keys dashboards read").contains("zk_version", "zk_server_state",
                "zk_avg_latency", "zk_max_latency", "zk_min_latency", "zk_packets_received", "zk_packets_sent",
                "zk_num_alive_connections", "zk_outstanding_requests", "zk_znode_count", "zk_watch_count",
                "zk_ephemerals_count", "zk_approximate_data_size", "zk_global_sessions", "zk_auth_failed_count",
                "zk_uptime", "zk_open_file_descriptor_count", "zk_max_file_descriptor_count",
                "zk_avg_readlatency", "zk_cnt_readlatency", "zk_avg_updatelatency", "zk_cnt_updatelatency");
        for (String key : List.of("zk_server_state", "zk_znode_count", "zk_watch_count", "zk_ephemerals_count",
                "zk_approximate_data_size", "zk_global_sessions", "zk_outstanding_requests",
                "zk_num_alive_connections")) {
            assertThat(ours.get(key)).as(key).isEqualTo(theirs.get(key));
        }
        Set<String> others = new LinkedHashSet<>(ours.keySet());
        others.removeAll(ourZkKeys);
        assertThat(others).as("Corral's own keys").allMatch(key -> key.startsWith("corral_"));
    }

    /**
     * Received and Sent count packets as ZooKeeper counts them: a four-letter word is one received (srvr counts
     * itself) and its answer one sent (srvr's own not yet), a connection's close is no packet; a session's requests
     * and replies count one each.
     */
    @Test
    void srvrCountsPacketsAsZooKeeperDoes() throws Exception {
        for (ServerUnderTest server : List.of(zookeeper, corral)) {
            Map<String, String> before = keyValues(ask(server, "srvr"), ": ");
            for (int i = 0; i < 3; i++) {
                ask(server, "ruok");
            }
            ZooKeeper zk = server == corral ? corralClient : zookeeperClient;
            zk.exists("/app", false);
            zk.getData("/app/a", false, null);
            Map<String, String> after = keyValues(ask(server, "srvr"), ": ");
            long received = Long.parseLong(after.get("Received")) - Long.parseLong(before.get("Received"));
            long sent = Long.parseLong(after.get("Sent")) - Long.parseLong(before.get("Sent"));
            assertThat(received).as("%s: 3 ruok, 2 requests, the second srvr", server).isEqualTo(3 + 2 + 1);
            if (server == corral) {
                assertThat(sent).as("%s: the first srvr's answer, 3 ruok's, 2 replies", server).isEqualTo(1 + 3 + 2);
            } else { // ZooKeeper counts an answer once written, which the client may have read before that
                assertThat(sent).as("%s: the first srvr's answer, 3 ruok's, 2 replies", server).isBetween(5L, 6L);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ruok", "isro", "srvr", "stat", "conf", "cons", "envi", "wchs", "wchc", "wchp", "dump",
            "dirs", "gtmk", "crst", "srst"})
    void everyWordAnswersInZooKeepersShape(String word) throws Exception {
        String ours = ask(corral, word);
        String theirs = ask(zookeeper, word);
        switch (word) {
            // ZooKeeper's keys first, in its order; Corral's own settings after them
            case "conf" -> assertThat(shape(ours)).as(word).startsWith(shape(theirs).toArray(String[]::new));
            // the sessions and ephemerals as ZooKeeper prints them (it also lists emptied expiry buckets a while,
            // and its connections by their expiry, which Corral's connections do not have)
            case "dump" -> assertThat(shape(sessionsPart(ours))).as(word).isEqualTo(shape(sessionsPart(theirs)));
            // ZooKeeper lists its connections in no particular order
            case "cons", "stat" -> assertThat(shape(ours)).as(word).containsExactlyInAnyOrderElementsOf(shape(theirs));
            default -> assertThat(shape(ours)).as(word).isEqualTo(shape(theirs));
        }
    }

    /** Each line with its figures, addresses, ids, dates and the version masked: what is left is the format. */
    private static List<String> shape(String answer) {
        return answer.lines().map(line -> line
                .replaceAll("(?i)(zookeeper[ .]version[:=] ?).*", "$1VERSION")
                .replaceAll("expire at .*:", "expire at DATE:")
                .replaceAll("0x[0-9a-f]+", "ID").replaceAll("/[0-9.:]+", "ADDR").replaceAll("[0-9]+", "N")
                .replaceAll("(dataDir|dataLogDir)=.*", "$1=DIR").replaceAll("(java.class.path)=.*", "$1=PATH"))
                .toList();
    }

    private static String sessionsPart(String dump) {
        return dump.substring(0, dump.indexOf("Connections dump:")).replaceAll("(?m)^0 expire at .*\n", "")
                .replaceAll("Session Sets \\(\\d+\\)", "Session Sets (N)");
    }

    private static String ask(ServerUnderTest server, String word) throws Exception {
        String[] hostPort = server.connectString().split(":");
        return FourLetterWordMain.send4LetterWord(hostPort[0], Integer.parseInt(hostPort[1]), word, false, 10_000);
    }

    private static Map<String, String> keyValues(String answer, String separator) {
        Map<String, String> values = new LinkedHashMap<>();
        answer.lines().filter(line -> line.contains(separator)).forEach(line -> {
            int at = line.indexOf(separator);
            values.put(line.substring(0, at), line.substring(at + separator.length()));
        });
        return values;
    }
}
