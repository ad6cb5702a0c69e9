package io.corral.server.compat;

import static io.corral.server.compat.KeeperAssertions.acl;
import static io.corral.server.compat.KeeperAssertions.acls;
import static io.corral.server.compat.KeeperAssertions.assertKeeperError;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.protocol.BufferRecord;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.OpCode;
import io.corral.protocol.ReplyHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.security.auth.login.Configuration;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ClientInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SASL DIGEST-MD5 logins with the official client, as ZooKeeper 3.9 runs them: the JAAS file
 * {@code sasl/jaas.conf} (its {@code Server} section lists the users, one {@code Client...} section per login the
 * tests make), the {@code sasl} ACL scheme from {@code authProvider.1=...SASLAuthenticationProvider}, the super user
 * from {@code zookeeper.superUser}, failed logins, and sessionRequireClientSASLAuth / enforce.auth.
 */
public abstract class SaslContract extends AbstractCompatContract {
    static final String SASL_PROVIDER = "org.apache.zookeeper.server.auth.SASLAuthenticationProvider";
    private static final byte[] DATA = "data".getBytes(StandardCharsets.UTF_8);
    private static final String JAAS = "java.security.auth.login.config";
    private static final String SUPER_USER = "zookeeper.superUser";

    /**
     * The test JAAS file and super user for every JAAS user of this JVM while the class runs (servers and clients
     * read them when they start); the JVM's settings are put back afterwards, so other tests meet no SASL.
     */
    @Override
    @BeforeAll
    void startSharedServer() {
        try {
            Path jaas = Path.of(SaslContract.class.getResource("/sasl/jaas.conf").toURI());
            System.setProperty(JAAS, jaas.toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        System.setProperty(SUPER_USER, "super");
        Configuration.getConfiguration().refresh();
        super.startSharedServer();
    }

    @Override
    @AfterAll
    void stopSharedServer() {
        super.stopSharedServer();
        System.clearProperty(JAAS);
        System.clearProperty(SUPER_USER);
        Configuration.getConfiguration().refresh();
    }

    /** A client that logs in with the JAAS section {@code section}; its state events go to {@code events}. */
    private ZooKeeper saslClient(ServerUnderTest target, String section, BlockingQueue<KeeperState> events) {
        try {
            return track(new ZooKeeper(target.connectString(), ZkClients.DEFAULT_SESSION_TIMEOUT_MS,
                    event -> events.add(event.getState()), saslConfig(section)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ZKClientConfig saslConfig(String section) {
        ZKClientConfig config = new ZKClientConfig();
        config.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "true");
        config.setProperty(ZKClientConfig.LOGIN_CONTEXT_NAME_KEY, section);
        config.setProperty("zookeeper.fips-mode", "false"); // the 3.9 client offers DIGEST-MD5 only outside FIPS mode
        return config;
    }

    /** A client logged in with the JAAS section {@code section}. */
    private ZooKeeper loggedIn(ServerUnderTest target, String section) throws InterruptedException {
        BlockingQueue<KeeperState> events = new LinkedBlockingQueue<>();
        ZooKeeper zk = saslClient(target, section, events);
        assertThat(nextStateBesides(events, KeeperState.SyncConnected)).isEqualTo(KeeperState.SaslAuthenticated);
        return zk;
    }

    private static KeeperState nextStateBesides(BlockingQueue<KeeperState> events, KeeperState skipped)
            throws InterruptedException {
        while (true) {
            KeeperState state = events.poll(15, TimeUnit.SECONDS);
            if (state != skipped) {
                return state;
            }
        }
    }

    @Test
    void digestLoginGivesTheSaslIdentity() throws Exception {
        ZooKeeper bob = loggedIn(server, "ClientBob");
        assertThat(bob.whoAmI()).contains(new ClientInfo("sasl", "bob"));
        assertThat(bob.whoAmI()).noneMatch(info -> info.getAuthScheme().equals("super"));
        ZooKeeper admin = loggedIn(server, "ClientSuper");
        assertThat(admin.whoAmI()).contains(new ClientInfo("sasl", "super"), new ClientInfo("super", ""));
    }

    @Test
    void saslAclsAllowTheirIdentityAndDenyOthers() throws Exception {
        ZooKeeper bob = loggedIn(server, "ClientBob");
        bob.create("/sasl-bob", DATA, acls(acl(Perms.ALL, "sasl", "bob")), CreateMode.PERSISTENT);
        assertThat(bob.getData("/sasl-bob", false, null)).isEqualTo(DATA);
        bob.create("/sasl-creator", DATA, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        assertThat(bob.getACL("/sasl-creator", null)).containsExactly(acl(Perms.ALL, "sasl", "bob"));

        ZooKeeper carol = loggedIn(server, "ClientCarol");
        ZooKeeper anonymous = connect();
        for (ZooKeeper other : new ZooKeeper[] {carol, anonymous}) {
            assertKeeperError(Code.NOAUTH, () -> other.getData("/sasl-bob", false, null));
            assertKeeperError(Code.NOAUTH, () -> other.setData("/sasl-creator", DATA, -1));
        }
        // the super user (zookeeper.superUser) passes every ACL
        ZooKeeper admin = loggedIn(server, "ClientSuper");
        assertThat(admin.getData("/sasl-bob", false, null)).isEqualTo(DATA);
    }

    @Test
    void curatorLogsInWithDigestAndIsHeldToSaslAcls() throws Exception {
        try (CuratorFramework bob = CuratorFrameworkFactory.builder().connectString(server.connectString())
                .zkClientConfig(saslConfig("ClientBob")).retryPolicy(new RetryOneTime(100)).build();
             CuratorFramework anonymous = CuratorFrameworkFactory.newClient(server.connectString(),
                     new RetryOneTime(100))) {
            bob.start();
            anonymous.start();
            bob.create().withACL(acls(acl(Perms.ALL, "sasl", "bob"))).forPath("/sasl-curator", DATA);
            assertThat(bob.getData().forPath("/sasl-curator")).isEqualTo(DATA);
            assertThat(bob.getZookeeperClient().getZooKeeper().whoAmI()).contains(new ClientInfo("sasl", "bob"));
            assertKeeperError(Code.NOAUTH, () -> anonymous.getData().forPath("/sasl-curator"));
        }
    }

    @Test
    void saslAclIdsAreCheckedAsKerberosNames() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/sasl-kerberos-name", DATA, acls(acl(Perms.ALL, "sasl", "zk/host.example@EXAMPLE.COM")),
                CreateMode.PERSISTENT);
        assertKeeperError(Code.INVALIDACL, () -> zk.create("/sasl-bad-name", DATA,
                acls(acl(Perms.ALL, "sasl", "a@b@c")), CreateMode.PERSISTENT));
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        refused("ClientWrongPassword");
    }

    @Test
    void anUnknownUserIsRefused() throws Exception {
        refused("ClientUnknownUser");
    }

    private void refused(String section) throws Exception {
        BlockingQueue<KeeperState> events = new LinkedBlockingQueue<>();
        ZooKeeper zk = saslClient(server, section, events);
        assertThat(nextStateBesides(events, KeeperState.SyncConnected)).isEqualTo(KeeperState.AuthFailed);
        assertKeeperError(Code.AUTHFAILED, () -> zk.exists("/", false));
    }

    @Test
    void sessionRequireClientSaslAuthClosesSessionsThatDidNotLogIn() throws Exception {
        ServerUnderTest strict = freshServer(Map.of("sessionRequireClientSASLAuth", "true"));
        ZooKeeper anonymous = connect(strict, ZkClients.DEFAULT_SESSION_TIMEOUT_MS, null);
        assertKeeperError(Code.SESSIONCLOSEDREQUIRESASLAUTH, () -> anonymous.exists("/", false));
        ZooKeeper bob = loggedIn(strict, "ClientBob");
        assertThat(bob.exists("/", false)).isNotNull();

        BlockingQueue<KeeperState> events = new LinkedBlockingQueue<>();
        saslClient(strict, "ClientWrongPassword", events);
        assertThat(nextStateBesides(events, KeeperState.SyncConnected)).isEqualTo(KeeperState.AuthFailed);
    }

    @Test
    void enforceAuthAdmitsSessionsOfTheListedSchemes() throws Exception {
        ServerUnderTest strict = freshServer(Map.of("enforce.auth.enabled", "true",
                "enforce.auth.schemes", "digest,sasl"));
        ZooKeeper anonymous = connect(strict, ZkClients.DEFAULT_SESSION_TIMEOUT_MS, null);
        assertKeeperError(Code.SESSIONCLOSEDREQUIRESASLAUTH, () -> anonymous.getChildren("/", false));
        ZooKeeper digest = connect(strict, ZkClients.DEFAULT_SESSION_TIMEOUT_MS, null);
        digest.addAuthInfo("digest", "dave:pw".getBytes(StandardCharsets.UTF_8));
        assertThat(digest.exists("/", false)).isNotNull();
        ZooKeeper bob = loggedIn(strict, "ClientBob");
        assertThat(bob.exists("/", false)).isNotNull();
    }

    /** An answer to the DIGEST-MD5 challenge that the server cannot parse. */
    private static final byte[] BAD_TOKEN = "not a DIGEST-MD5 response".getBytes(StandardCharsets.UTF_8);

    /** Starts a DIGEST-MD5 exchange (an empty first token, answered by the challenge), then answers it badly. */
    private static ReplyHeader failedLogin(RawConnection c) throws IOException {
        c.handshake();
        c.sendRequest(6, OpCode.SASL, new BufferRecord(new byte[0]));
        assertThat(c.readReply().header()).isEqualTo(new ReplyHeader(6, 0, ErrorCode.OK));
        c.sendRequest(7, OpCode.SASL, new BufferRecord(BAD_TOKEN));
        return c.readReply().header();
    }

    @Test
    void aFailedSaslStepAnswersAuthFailedAndClosesTheConnection() throws Exception {
        try (RawConnection c = new RawConnection(LargeRepliesContract.address(server))) {
            assertThat(failedLogin(c)).isEqualTo(new ReplyHeader(7, 0, ErrorCode.AUTH_FAILED));
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void allowSaslFailedClientsKeepsAFailedLoginConnectedWithoutAnId() throws Exception {
        try (ServerUnderTest lenient = startServer(Map.of("allowSaslFailedClients", "true"));
             RawConnection c = new RawConnection(LargeRepliesContract.address(lenient))) {
            assertThat(failedLogin(c)).isEqualTo(new ReplyHeader(7, 0, ErrorCode.OK));
            assertThat(c.create("/after-a-failed-login", 0).header().err()).isEqualTo(ErrorCode.OK);
        }
    }

    @Test
    void allowSaslFailedClientsGivesWayToRequiredSasl() throws Exception {
        try (ServerUnderTest strict = startServer(Map.of("allowSaslFailedClients", "true",
                "sessionRequireClientSASLAuth", "true"));
             RawConnection c = new RawConnection(LargeRepliesContract.address(strict))) {
            assertThat(failedLogin(c))
                    .isEqualTo(new ReplyHeader(7, 0, ErrorCode.SESSION_CLOSED_REQUIRE_SASL_AUTH));
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void letAnySaslUserDoXGrantsItsIdToEveryClientLoggedInWithSasl() throws Exception {
        try (ServerUnderTest lenient = startServer(Map.of("letAnySaslUserDoX", "anyone"))) {
            ZooKeeper bob = loggedIn(lenient, "ClientBob");
            bob.create("/sasl-anyone", DATA, acls(acl(Perms.READ, "sasl", "anyone")), CreateMode.PERSISTENT);
            assertThat(bob.getData("/sasl-anyone", false, null)).isEqualTo(DATA);
            ZooKeeper carol = loggedIn(lenient, "ClientCarol");
            assertThat(carol.getData("/sasl-anyone", false, null)).isEqualTo(DATA);
            assertThat(carol.whoAmI()).noneMatch(info -> info.getUser().equals("anyone"));
            ZooKeeper anonymous = connect(lenient, ZkClients.DEFAULT_SESSION_TIMEOUT_MS, null);
            assertKeeperError(Code.NOAUTH, () -> anonymous.getData("/sasl-anyone", false, null));
            assertKeeperError(Code.NOAUTH, () -> carol.setData("/sasl-anyone", DATA, -1));
        }
    }
}
