package io.corral.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.server.childjvm.FourLetterWordClient;
import io.corral.server.compat.CompatHarness;
import io.corral.server.ensemble.QuorumSaslJaas;
import io.corral.server.compat.ZkClients;
import io.corral.server.membership.EnsembleFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What QuorumSaslTest expects of Corral, on Apache ZooKeeper 3.9.5's ensemble (members in child JVMs) with the same
 * keys and JAAS sections: three members that require SASL serve; a member whose learner password is wrong does not
 * while the other two do; with no server requiring SASL, a member that does not authenticate joins the others.
 * ZooKeeper needs {@code -Dzookeeper.fips-mode=false} for DIGEST-MD5 between servers; Corral has no FIPS mode.
 */
class QuorumSaslOnZooKeeperTest {
    private static final Duration SERVING = Duration.ofSeconds(90);
    private static final String JAAS_FILE = QuorumSaslJaas.FILE;

    private Path root;
    private Path jaas;
    private ZooKeeperPeerProcesses zookeeper;

    @BeforeEach
    void setUp() throws Exception {
        root = CompatHarness.newTempDir("zk-quorum-sasl-");
        jaas = Files.writeString(root.resolve("jaas.conf"), JAAS_FILE, StandardCharsets.UTF_8);
    }

    @AfterEach
    void tearDown() {
        if (zookeeper != null) {
            zookeeper.close();
        }
        CompatHarness.deleteRecursively(root);
    }

    @Test
    void threeMembersAuthenticateEachOther() throws Exception {
        zookeeper = start(required(), Map.of());
        zookeeper.awaitServing(SERVING);
        write(zookeeper.connectString(1));
    }

    @Test
    void aLearnerWithTheWrongPasswordIsRefused() throws Exception {
        zookeeper = start(required(), Map.of("quorum.auth.learner.saslLoginContext", "WrongLearner"));
        await().atMost(SERVING).pollInterval(Duration.ofMillis(100)).until(() ->
                List.of("leader", "follower").contains(mode(1)) && List.of("leader", "follower").contains(mode(2)));
        assertThat(mode(3)).as("server 3 cannot log in to the others").isEqualTo("not serving");
        write(zookeeper.connectString(1));
    }

    @Test
    void withoutServerRequireSaslALearnerThatDoesNotAuthenticateIsLetIn() throws Exception {
        Map<String, String> learners = new LinkedHashMap<>();
        learners.put("quorum.auth.enableSasl", "true");
        learners.put("quorum.auth.learnerRequireSasl", "true");
        zookeeper = start(learners, Map.of("quorum.auth.learnerRequireSasl", "false"));
        zookeeper.awaitServing(SERVING);
        write(zookeeper.connectString(3));
    }

    private static Map<String, String> required() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("quorum.auth.enableSasl", "true");
        keys.put("quorum.auth.learnerRequireSasl", "true");
        keys.put("quorum.auth.serverRequireSasl", "true");
        return keys;
    }

    /** Every member with {@code keys}; server 3's zoo.cfg ends with {@code third} (a later line wins). */
    private ZooKeeperPeerProcesses start(Map<String, String> keys, Map<String, String> third) throws Exception {
        EnsembleFiles files = new EnsembleFiles(root.resolve("ensemble"), 3, 0, false, null, keys);
        StringBuilder lines = new StringBuilder();
        third.forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
        Files.writeString(files.zooCfg(3), lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        // ZooKeeper 3.9.5's default FIPS mode leaves its learner without a DIGEST-MD5 client (it fails on a null one)
        return ZooKeeperPeerProcesses.start(files, List.of("-Djava.security.auth.login.config=" + jaas,
                "-Dzookeeper.fips-mode=false"));
    }

    private String mode(long id) {
        int port = zookeeper.files().servers().get((int) id - 1).clientPort();
        String srvr = FourLetterWordClient.ask(port, "srvr", Duration.ofSeconds(5));
        if (srvr != null) {
            for (String line : srvr.split("\n")) {
                if (line.startsWith("Mode: ")) {
                    return line.substring(6).trim();
                }
            }
        }
        return "not serving";
    }

    private static void write(String connect) throws Exception {
        ZooKeeper zk = ZkClients.connect(connect);
        try {
            zk.create("/written", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } finally {
            ZkClients.closeQuietly(zk);
        }
    }
}
