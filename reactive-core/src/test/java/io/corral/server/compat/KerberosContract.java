package io.corral.server.compat;

import static io.corral.server.compat.KeeperAssertions.acl;
import static io.corral.server.compat.KeeperAssertions.acls;
import static io.corral.server.compat.KeeperAssertions.assertKeeperError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * Kerberos (SASL GSSAPI) logins with the official client and Curator, as ZooKeeper 3.9 runs them, against an Apache
 * Kerby KDC in this JVM: the server logs in from a keytab with the JAAS section {@code Server} as
 * {@code zookeeper/localhost@EXAMPLE.COM}, clients from keytabs of their own; the {@code sasl} ids and ACLs with and
 * without {@code kerberos.removeHostFromPrincipal} / {@code kerberos.removeRealmFromPrincipal}; a ticket the server
 * cannot accept, a DIGEST-MD5 login and a client whose keytab does not hold its principal's key are refused; a
 * principal named by {@code zookeeper.superUser} is also {@code super}.
 *
 * <p>The JVM's Kerberos configuration ({@code java.security.krb5.conf}), JAAS file and super user are set while the
 * class runs and put back afterwards. The JDK caches the Kerberos configuration it read, so every Krb5LoginModule
 * section here has {@code refreshKrb5Config=true}: each login reads this class's KDC address, whatever a class before
 * it used.
 */
public abstract class KerberosContract extends AbstractCompatContract {
    static final String SASL_PROVIDER = "org.apache.zookeeper.server.auth.SASLAuthenticationProvider";
    static final String SERVER_PRINCIPAL = "zookeeper/localhost@" + KerberosKdc.REALM;
    private static final String BOB = "bob@" + KerberosKdc.REALM;
    private static final String APP = "app/localhost@" + KerberosKdc.REALM;
    private static final byte[] DATA = "data".getBytes(StandardCharsets.UTF_8);
    private static final String JAAS = "java.security.auth.login.config";
    private static final String KRB5 = "java.security.krb5.conf";
    private static final String SUPER_USER = "zookeeper.superUser";
    /** The principal {@code zookeeper.superUser} names: its sasl id also gets {@code super}. */
    static final String CAROL = "carol@" + KerberosKdc.REALM;

    protected KerberosKdc kdc;
    protected Path jaasFile;
    private String jaasBefore;
    private String krb5Before;
    private String superUserBefore;

    @Override
    @BeforeAll
    void startSharedServer() {
        kdc = KerberosKdc.start();
        Path serverKeytab = kdc.principalWithKeytab(SERVER_PRINCIPAL);
        kdc.principal("zookeeper/otherhost@" + KerberosKdc.REALM);
        Path bob = kdc.principalWithKeytab(BOB);
        Path carol = kdc.principalWithKeytab(CAROL);
        Path app = kdc.principalWithKeytab(APP);
        jaasFile = kdc.dir().resolve("jaas.conf");
        KerberosKdc.write(jaasFile, section("Server", SERVER_PRINCIPAL, serverKeytab)
                + section("ClientBob", BOB, bob)
                + section("ClientCarol", CAROL, carol)
                + section("ClientApp", APP, app)
                + section("ClientBobWithCarolsKeytab", BOB, carol)
                + section("ServerWithCarolsKeytab", SERVER_PRINCIPAL, carol)
                + "ClientDigest {\n    org.apache.zookeeper.server.auth.DigestLoginModule required\n"
                + "    username=\"bob\"\n    password=\"bobsecret\";\n};\n");
        jaasBefore = System.getProperty(JAAS);
        krb5Before = System.getProperty(KRB5);
        System.setProperty(JAAS, jaasFile.toString());
        System.setProperty(KRB5, kdc.krb5Conf().toString());
        superUserBefore = System.getProperty(SUPER_USER);
        System.setProperty(SUPER_USER, CAROL);
        Configuration.getConfiguration().refresh();
        super.startSharedServer();
    }

    @Override
    @AfterAll
    void stopSharedServer() {
        try {
            super.stopSharedServer();
        } finally {
            KerberosKdc.restore(JAAS, jaasBefore);
            KerberosKdc.restore(KRB5, krb5Before);
            KerberosKdc.restore(SUPER_USER, superUserBefore);
            Configuration.getConfiguration().refresh();
            kdc.close();
        }
    }

    /** A JAAS section that logs in from a keytab as ZooKeeper's documentation shows, never prompting. */
    private static String section(String name, String principal, Path keytab) {
        return name + " {\n"
                + "    com.sun.security.auth.module.Krb5LoginModule required\n"
                + "    useKeyTab=true\n"
                + "    keyTab=\"" + keytab + "\"\n"
                + "    storeKey=true\n"
                + "    useTicketCache=false\n"
                + "    doNotPrompt=true\n"
                + "    refreshKrb5Config=true\n"
                + "    principal=\"" + principal + "\";\n"
                + "};\n";
    }

    /** The zoo.cfg keys every server of this contract gets, plus {@code keys}: the sasl ACL provider. */
    protected static Map<String, String> withSaslProvider(Map<String, String> keys) {
        Map<String, String> all = new java.util.HashMap<>(keys);
        all.put("authProvider.1", SASL_PROVIDER);
        return all;
    }

    private static ZKClientConfig kerberosConfig(String section, String serverPrincipal) {
        ZKClientConfig config = new ZKClientConfig();
        config.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "true");
        config.setProperty(ZKClientConfig.LOGIN_CONTEXT_NAME_KEY, section);
        config.setProperty(ZKClientConfig.ZOOKEEPER_SERVER_PRINCIPAL, serverPrincipal);
        return config;
    }

    private ZooKeeper kerberosClient(ServerUnderTest target, ZKClientConfig config, BlockingQueue<KeeperState> events) {
        try {
            return track(new ZooKeeper(target.connectString(), ZkClients.DEFAULT_SESSION_TIMEOUT_MS,
                    event -> events.add(event.getState()), config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client logged in with the JAAS section {@code section}. */
    private ZooKeeper loggedIn(ServerUnderTest target, String section) throws InterruptedException {
        BlockingQueue<KeeperState> events = new LinkedBlockingQueue<>();
        ZooKeeper zk = kerberosClient(target, kerberosConfig(section, SERVER_PRINCIPAL), events);
        assertThat(nextStateBesides(events, KeeperState.SyncConnected)).isEqualTo(KeeperState.SaslAuthenticated);
        return zk;
    }

    private static KeeperState nextStateBesides(BlockingQueue<KeeperState> events, KeeperState skipped)
            throws InterruptedException {
        while (true) {
            KeeperState state = events.poll(20, TimeUnit.SECONDS);
            assertThat(state).as("a state event within 20 s").isNotNull();
            if (state != skipped) {
                return state;
            }
        }
    }

    /** The connection's sasl ids as whoAmI lists them (ZooKeeper lists the ip id before or after them). */
    private static java.util.List<String> saslIds(ZooKeeper zk) throws Exception {
        return zk.whoAmI().stream().filter(info -> info.getAuthScheme().equals("sasl")).map(ClientInfo::getUser)
                .toList();
    }

    @Test
    void aKerberosLoginGivesThePrincipalAsTheSaslId() throws Exception {
        assertThat(saslIds(loggedIn(server, "ClientBob"))).containsExactly(BOB);
        assertThat(saslIds(loggedIn(server, "ClientApp"))).containsExactly(APP);
    }

    @Test
    void saslAclsOnThePrincipalAllowItAndDenyOthers() throws Exception {
        ZooKeeper bob = loggedIn(server, "ClientBob");
        bob.create("/krb-bob", DATA, acls(acl(Perms.ALL, "sasl", BOB)), CreateMode.PERSISTENT);
        assertThat(bob.getData("/krb-bob", false, null)).isEqualTo(DATA);
        bob.create("/krb-creator", DATA, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        assertThat(bob.getACL("/krb-creator", null)).containsExactly(acl(Perms.ALL, "sasl", BOB));

        ZooKeeper app = loggedIn(server, "ClientApp");
        ZooKeeper anonymous = connect();
        for (ZooKeeper other : new ZooKeeper[] {app, anonymous}) {
            assertKeeperError(Code.NOAUTH, () -> other.getData("/krb-bob", false, null));
            assertKeeperError(Code.NOAUTH, () -> other.setData("/krb-creator", DATA, -1));
        }
        // without removal the short name is no id of its own
        bob.create("/krb-short", DATA, acls(acl(Perms.ALL, "sasl", "bob")), CreateMode.PERSISTENT);
        assertKeeperError(Code.NOAUTH, () -> bob.getData("/krb-short", false, null));
        // the super user (zookeeper.superUser names carol's principal) passes every ACL
        ZooKeeper carol = loggedIn(server, "ClientCarol");
        assertThat(carol.whoAmI()).contains(new ClientInfo("sasl", CAROL), new ClientInfo("super", ""));
        assertThat(carol.getData("/krb-bob", false, null)).isEqualTo(DATA);
    }

    @Test
    void curatorLogsInWithKerberosAndIsHeldToSaslAcls() throws Exception {
        try (CuratorFramework bob = CuratorFrameworkFactory.builder().connectString(server.connectString())
                .zkClientConfig(kerberosConfig("ClientBob", SERVER_PRINCIPAL)).retryPolicy(new RetryOneTime(100))
                .build();
             CuratorFramework anonymous = CuratorFrameworkFactory.newClient(server.connectString(),
                     new RetryOneTime(100))) {
            bob.start();
            anonymous.start();
            bob.create().withACL(acls(acl(Perms.ALL, "sasl", BOB))).forPath("/krb-curator", DATA);
            assertThat(bob.getData().forPath("/krb-curator")).isEqualTo(DATA);
            assertThat(bob.getZookeeperClient().getZooKeeper().whoAmI()).contains(new ClientInfo("sasl", BOB));
            assertKeeperError(Code.NOAUTH, () -> anonymous.getData().forPath("/krb-curator"));
        }
    }

    @Test
    void removingHostAndRealmShortensTheSaslId() throws Exception {
        ServerUnderTest both = freshServer(Map.of("kerberos.removeHostFromPrincipal", "true",
                "kerberos.removeRealmFromPrincipal", "true"));
        ZooKeeper app = loggedIn(both, "ClientApp");
        assertThat(saslIds(app)).containsExactly("app");
        assertThat(saslIds(loggedIn(both, "ClientBob"))).containsExactly("bob");
        app.create("/krb-app", DATA, acls(acl(Perms.ALL, "sasl", "app")), CreateMode.PERSISTENT);
        assertThat(app.getData("/krb-app", false, null)).isEqualTo(DATA);
        app.create("/krb-app-full", DATA, acls(acl(Perms.ALL, "sasl", APP)), CreateMode.PERSISTENT);
        assertKeeperError(Code.NOAUTH, () -> app.getData("/krb-app-full", false, null));
    }

    @Test
    void removingTheRealmOnlyKeepsTheHost() throws Exception {
        ServerUnderTest realmOnly = freshServer(Map.of("kerberos.removeRealmFromPrincipal", "true"));
        assertThat(saslIds(loggedIn(realmOnly, "ClientApp"))).containsExactly("app/localhost");
        assertThat(saslIds(loggedIn(realmOnly, "ClientBob"))).containsExactly("bob");
    }

    @Test
    void aTicketForAnotherServicePrincipalIsRefused() throws Exception {
        BlockingQueue<KeeperState> events = new LinkedBlockingQueue<>();
        ZooKeeper zk = kerberosClient(server,
                kerberosConfig("ClientBob", "zookeeper/otherhost@" + KerberosKdc.REALM), events);
        assertThat(nextStateBesides(events, KeeperState.SyncConnected)).isEqualTo(KeeperState.AuthFailed);
        assertKeeperError(Code.AUTHFAILED, () -> zk.exists("/", false));
    }

    @Test
    void aClientWhoseKeytabLacksItsKeyGoesOnWithoutItsIdentity() throws Exception {
        // the client's own login fails; ZooKeeper's client then says AuthFailed and goes on without SASL, so the
        // server sees an anonymous session
        BlockingQueue<KeeperState> events = new LinkedBlockingQueue<>();
        ZooKeeper zk = kerberosClient(server, kerberosConfig("ClientBobWithCarolsKeytab", SERVER_PRINCIPAL),
                events);
        assertThat(nextStateBesides(events, KeeperState.SyncConnected)).isEqualTo(KeeperState.AuthFailed);
        assertThat(saslIds(zk)).isEmpty();
        zk.create("/krb-bob-only", DATA, acls(acl(Perms.ALL, "sasl", BOB)), CreateMode.PERSISTENT);
        assertKeeperError(Code.NOAUTH, () -> zk.getData("/krb-bob-only", false, null));
    }

    @Test
    void aServerWhoseKeytabLacksItsKeyDoesNotStart() {
        // zoo.cfg's sasl.serverconfig (zookeeper.sasl.serverconfig) names the JAAS section the server logs in with
        assertThatThrownBy(() -> freshServer(Map.of("sasl.serverconfig", "ServerWithCarolsKeytab")))
                .isInstanceOfAny(AssertionError.class, RuntimeException.class) // Corral's error, ZooKeeper's exit
                .hasMessageContaining("Unable to obtain password from user"); // the JDK's Krb5LoginModule
    }

    @Test
    void aDigestLoginAgainstAKerberosServerIsRefused() throws Exception {
        // the server section is Kerberos, so the server speaks GSSAPI only, as ZooKeeper's does
        ZKClientConfig digest = kerberosConfig("ClientDigest", SERVER_PRINCIPAL);
        digest.setProperty("zookeeper.fips-mode", "false"); // the 3.9 client offers DIGEST-MD5 only outside FIPS mode
        BlockingQueue<KeeperState> events = new LinkedBlockingQueue<>();
        ZooKeeper zk = kerberosClient(server, digest, events);
        assertThat(nextStateBesides(events, KeeperState.SyncConnected)).isEqualTo(KeeperState.AuthFailed);
        assertKeeperError(Code.AUTHFAILED, () -> zk.exists("/", false));
    }
}
