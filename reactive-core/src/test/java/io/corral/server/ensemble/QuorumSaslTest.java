package io.corral.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.corral.server.compat.CompatHarness;
import io.corral.server.compat.ZkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Quorum SASL with ZooKeeper's keys and JAAS sections: three members authenticating each other with DIGEST-MD5
 * (the dialing server logs in with {@code QuorumLearner}, the accepting one checks {@code QuorumServer}); a member
 * whose learner password is wrong is refused by the others, with a log line on both sides; and the rolling upgrade's
 * middle step, where members that authenticate and one that does not yet form an ensemble because no server requires
 * SASL.
 */
class QuorumSaslTest {
    private static final String JAAS = "java.security.auth.login.config";
    private static final Duration SERVING = Duration.ofSeconds(60);
    private static final String JAAS_FILE = QuorumSaslJaas.FILE;

    private final Logger linkLog = (Logger) LoggerFactory.getLogger("io.corral.server.peer.PeerLink");
    private final Logger authLog = (Logger) LoggerFactory.getLogger("io.corral.server.peer.PeerAuthentication");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Path root;
    private InProcessEnsemble ensemble;

    @BeforeEach
    void setUp() throws Exception {
        root = CompatHarness.newTempDir("quorum-sasl-");
        Path jaas = root.resolve("jaas.conf");
        Files.writeString(jaas, JAAS_FILE, StandardCharsets.UTF_8);
        System.setProperty(JAAS, jaas.toString());
        logged.start();
        linkLog.addAppender(logged);
        authLog.addAppender(logged);
    }

    @AfterEach
    void tearDown() {
        if (ensemble != null) {
            ensemble.close();
        }
        linkLog.detachAppender(logged);
        authLog.detachAppender(logged);
        System.clearProperty(JAAS);
        CompatHarness.deleteRecursively(root);
    }

    @Test
    void threeMembersAuthenticateEachOther() throws Exception {
        ensemble = new InProcessEnsemble(root, 3, 0, required());
        ensemble.startAll();
        long leader = ensemble.awaitServing(SERVING);
        writeAndReadEverywhere(leader);
        // every link (2 to 1, 3 to 1, 3 to 2) was authenticated by its accepting side
        assertThat(messages()).filteredOn(m -> m.matches("Server [23] authenticated with quorum SASL as 'corral'"))
                .hasSizeGreaterThanOrEqualTo(3);
        // no link was dropped on the way (the leader's first messages may arrive before the learner's last step)
        assertThat(messages()).noneMatch(m -> m.contains("quorum SASL") && m.startsWith("a frame"))
                .noneMatch(m -> m.contains("failed quorum SASL") || m.contains("refused this server's quorum SASL"))
                .noneMatch(m -> m.contains("no quorum SASL frame"));
    }

    @Test
    void aLearnerWithTheWrongPasswordIsRefused() throws Exception {
        ensemble = new InProcessEnsemble(root, 3, 0, required());
        Map<String, String> wrong = new LinkedHashMap<>(required());
        wrong.put("quorum.auth.learner.saslLoginContext", "WrongLearner");
        ensemble.configure(3, wrong);
        ensemble.startAll();
        await().atMost(SERVING).pollInterval(Duration.ofMillis(50)).until(() ->
                List.of("leader", "follower").contains(ensemble.mode(1))
                        && List.of("leader", "follower").contains(ensemble.mode(2)));
        await().atMost(SERVING).until(() -> messages().stream().anyMatch(m ->
                m.contains("server 3 failed quorum SASL authentication"))
                && messages().stream().anyMatch(m -> m.contains(
                        "refused this server's quorum SASL login as 'corral'")));
        assertThat(ensemble.mode(3)).as("server 3 has no link to anyone").isEqualTo("not serving");
        writeAndReadEverywhere(ensemble.leader().orElseThrow(), 1, 2);
    }

    /**
     * ZooKeeper's rolling upgrade: servers 1 and 2 authenticate as learners (learnerRequireSasl) and take SASL as
     * servers without requiring it; server 3 is a step behind, with SASL enabled but not required, or not enabled
     * at all. Server 3 dials 1 and 2 without SASL and is let in; server 2 dials 1 with it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"true", "false"})
    void withoutServerRequireSaslALearnerThatDoesNotAuthenticateIsLetIn(String thirdEnablesSasl) throws Exception {
        Map<String, String> learners = new LinkedHashMap<>();
        learners.put("quorum.auth.enableSasl", "true");
        learners.put("quorum.auth.learnerRequireSasl", "true");
        ensemble = new InProcessEnsemble(root, 3, 0, learners);
        ensemble.configure(3, Map.of("quorum.auth.enableSasl", thirdEnablesSasl,
                "quorum.auth.learnerRequireSasl", "false"));
        ensemble.startAll();
        long leader = ensemble.awaitServing(SERVING);
        writeAndReadEverywhere(leader);
        assertThat(messages()).contains("Server 2 authenticated with quorum SASL as 'corral'")
                .noneMatch(m -> m.startsWith("Server 3 authenticated"));
    }

    private static Map<String, String> required() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("quorum.auth.enableSasl", "true");
        keys.put("quorum.auth.learnerRequireSasl", "true");
        keys.put("quorum.auth.serverRequireSasl", "true");
        return keys;
    }

    private List<String> messages() {
        return new ArrayList<>(logged.list).stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** A write through the leader, read back after a sync on every member listed (all by default). */
    private void writeAndReadEverywhere(long leader, long... members) throws Exception {
        String path = "/written-" + System.nanoTime();
        ZooKeeper zk = ZkClients.connect(ensemble.connectString(leader));
        try {
            zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } finally {
            ZkClients.closeQuietly(zk);
        }
        List<Long> ids = new ArrayList<>();
        for (long id : members) {
            ids.add(id);
        }
        for (long id : ids.isEmpty() ? ensemble.ids() : ids) {
            ZooKeeper member = ZkClients.connect(ensemble.connectString(id));
            try {
                CompletableFuture<Void> synced = new CompletableFuture<>();
                member.sync("/", (rc, p, ctx) -> synced.complete(null), null);
                synced.get(30, TimeUnit.SECONDS);
                assertThat(member.exists(path, false)).as("server %d", id).isNotNull();
            } finally {
                ZkClients.closeQuietly(member);
            }
        }
    }
}
