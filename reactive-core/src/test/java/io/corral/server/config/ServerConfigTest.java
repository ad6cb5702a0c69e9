package io.corral.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

class ServerConfigTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(ServerConfig.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Level previousLevel;

    @BeforeEach
    void captureLog() {
        previousLevel = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(logged);
        logger.setLevel(previousLevel);
    }

    private static ServerConfig parse(String... keyValues) {
        return ConfigMaps.parse(keyValues);
    }

    private List<String> messagesAt(Level level) {
        return logged.list.stream().filter(e -> e.getLevel() == level)
                .map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    }

    @Test
    void defaultsFollowZooKeeper() throws Exception {
        ServerConfig c = parse();

        assertThat(c.tickTime()).isEqualTo(3000);
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/corral"));
        assertThat(c.dataLogDir()).isEqualTo(c.dataDir());
        assertThat(c.clientAddress()).isEqualTo(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 2181));
        assertThat(c.clientAddress().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(c.maxClientCnxns()).isEqualTo(60);
        assertThat(c.minSessionTimeout()).isEqualTo(6000);
        assertThat(c.maxSessionTimeout()).isEqualTo(60000);
        assertThat(c.globalOutstandingLimit()).isEqualTo(1000);
        assertThat(c.extendedTypesEnabled()).isFalse();
        assertThat(c.containerCheckIntervalMs()).isEqualTo(60000);
        assertThat(c.containerMaxPerMinute()).isEqualTo(10000);
        assertThat(c.containerMaxNeverUsedIntervalMs()).isZero();
        assertThat(c.fourLetterWordWhitelist()).containsExactly("srvr");
        assertThat(c.forceSync()).isTrue();
        assertThat(c.snapCount()).isEqualTo(100000);
        assertThat(c.snapRetainCount()).isEqualTo(3);
        assertThat(c.purgeIntervalHours()).isZero();
        assertThat(c.juteMaxBuffer()).isEqualTo(0xFFFFF);
        assertThat(c.superDigest()).isNull();
        assertThat(c.skipAcl()).isFalse();
        assertThat(logged.list).isEmpty();
    }

    @Test
    void everyKeyIsParsed() {
        ServerConfig c = parse(
                "tickTime", "500",
                "dataLogDir", "/fast/log",
                "clientPort", "12181",
                "clientPortAddress", "10.1.2.3",
                "maxClientCnxns", "0",
                "minSessionTimeout", "1000",
                "maxSessionTimeout", "90000",
                "globalOutstandingLimit", "5",
                "extendedTypesEnabled", "true",
                "znode.container.checkIntervalMs", "100",
                "znode.container.maxPerMinute", "7",
                "znode.container.maxNeverUsedIntervalMs", "2500",
                "4lw.commands.whitelist", "ruok,mntr",
                "forceSync", "no",
                "snapCount", "2",
                "autopurge.snapRetainCount", "9",
                "autopurge.purgeInterval", "24",
                "jute.maxbuffer", "4194304",
                "DigestAuthenticationProvider.superDigest", "super:D/InIHSb7yEEbrWz8b9l71RjZJU=",
                "skipACL", "yes");

        assertThat(c.tickTime()).isEqualTo(500);
        assertThat(c.dataLogDir()).isEqualTo(Path.of("/fast/log"));
        assertThat(c.clientAddress().getPort()).isEqualTo(12181);
        assertThat(c.clientAddress().getAddress().getHostAddress()).isEqualTo("10.1.2.3");
        assertThat(c.maxClientCnxns()).isZero();
        assertThat(c.minSessionTimeout()).isEqualTo(1000);
        assertThat(c.maxSessionTimeout()).isEqualTo(90000);
        assertThat(c.globalOutstandingLimit()).isEqualTo(5);
        assertThat(c.extendedTypesEnabled()).isTrue();
        assertThat(c.containerCheckIntervalMs()).isEqualTo(100);
        assertThat(c.containerMaxPerMinute()).isEqualTo(7);
        assertThat(c.containerMaxNeverUsedIntervalMs()).isEqualTo(2500);
        assertThat(c.fourLetterWordWhitelist()).containsExactly("ruok", "mntr");
        assertThat(c.forceSync()).isFalse();
        assertThat(c.snapCount()).isEqualTo(2);
        assertThat(c.snapRetainCount()).isEqualTo(9);
        assertThat(c.purgeIntervalHours()).isEqualTo(24);
        assertThat(c.juteMaxBuffer()).isEqualTo(4194304);
        assertThat(c.superDigest()).isEqualTo("super:D/InIHSb7yEEbrWz8b9l71RjZJU=");
        assertThat(c.skipAcl()).isTrue();
        assertThat(logged.list).isEmpty();
    }

    @Test
    void systemPropertyStyleAliasesAreAccepted() {
        ServerConfig c = parse("zookeeper.extendedTypesEnabled", "yes",
                "zookeeper.DigestAuthenticationProvider.superDigest", "su:abc=");

        assertThat(c.extendedTypesEnabled()).isTrue();
        assertThat(c.superDigest()).isEqualTo("su:abc=");
        assertThat(parse("extendedTypesEnabled", "true", "zookeeper.extendedTypesEnabled", "true")
                .extendedTypesEnabled()).isTrue();
        assertThatThrownBy(() -> parse("extendedTypesEnabled", "true", "zookeeper.extendedTypesEnabled", "false"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("extendedTypesEnabled");
    }

    @Test
    void valuesAndKeysAreTrimmed() {
        ServerConfig c = ServerConfig.parse(Map.of(" dataDir ", "  /var/corral \t", "tickTime", " 250 ",
                "forceSync", " no ", "4lw.commands.whitelist", " stat ,  ruok , ,conf "));

        assertThat(c.dataDir()).isEqualTo(Path.of("/var/corral"));
        assertThat(c.tickTime()).isEqualTo(250);
        assertThat(c.forceSync()).isFalse();
        assertThat(c.fourLetterWordWhitelist()).containsExactly("ruok", "stat", "conf");
    }

    @Test
    void booleansAcceptYesNoAndTrueFalseInAnyCase() {
        assertThat(parse("forceSync", "YES").forceSync()).isTrue();
        assertThat(parse("forceSync", "false").forceSync()).isFalse();
        assertThat(parse("skipACL", "True").skipAcl()).isTrue();
        assertThat(parse("skipACL", "no").skipAcl()).isFalse();
        assertThat(parse("extendedTypesEnabled", "no").extendedTypesEnabled()).isFalse();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "tickTime | abc",
            "tickTime | 0",
            "tickTime | -5",
            "tickTime | 99999999999",
            "tickTime | ''",
            "clientPort | -1",
            "clientPort | 65536",
            "clientPort | 2181x",
            "clientPortAddress | not-an-ip.example.com",
            "clientPortAddress | 256.1.1.1",
            "clientPortAddress | 1.2.3",
            "clientPortAddress | ::zz",
            "clientPortAddress | ''",
            "maxClientCnxns | -1",
            "minSessionTimeout | 0",
            "minSessionTimeout | -2",
            "minSessionTimeout | soon",
            "maxSessionTimeout | 0",
            "maxSessionTimeout | -7",
            "globalOutstandingLimit | 0",
            "extendedTypesEnabled | maybe",
            "zookeeper.extendedTypesEnabled | 1",
            "znode.container.checkIntervalMs | 0",
            "znode.container.maxPerMinute | 0",
            "znode.container.maxNeverUsedIntervalMs | -1",
            "forceSync | sometimes",
            "forceSync | ''",
            "snapCount | 1",
            "autopurge.snapRetainCount | three",
            "autopurge.purgeInterval | -1",
            "jute.maxbuffer | 0",
            "jute.maxbuffer | 1MB",
            "DigestAuthenticationProvider.superDigest | nocolon",
            "DigestAuthenticationProvider.superDigest | :digest",
            "DigestAuthenticationProvider.superDigest | user:",
            "skipACL | 2",
    })
    void invalidValueNamesItsKey(String key, String value) {
        // The alias reports under the documented key name.
        String reported = key.startsWith("zookeeper.") ? key.substring("zookeeper.".length()) : key;
        assertThatThrownBy(() -> parse(key, value))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo(reported))
                .hasMessageContaining(reported);
    }

    @Test
    void invalidValueMessageQuotesTheValue() {
        assertThatThrownBy(() -> parse("tickTime", "abc"))
                .hasMessage("Invalid value 'abc' for tickTime: not an integer");
    }

    @Test
    void dataDirIsRequired() {
        assertThatThrownBy(() -> ServerConfig.parse(Map.of("tickTime", "2000")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("dataDir"))
                .hasMessageContaining("dataDir");
        assertThatThrownBy(() -> ServerConfig.parse(Map.of("dataDir", "  ")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("dataDir"));
    }

    @Test
    void relativeDirectoriesAreMadeAbsoluteAgainstTheWorkingDirectory() {
        ServerConfig c = parse("dataDir", "./zk/../data", "dataLogDir", "log");
        Path cwd = Path.of("").toAbsolutePath();

        assertThat(c.dataDir()).isEqualTo(cwd.resolve("data"));
        assertThat(c.dataLogDir()).isEqualTo(cwd.resolve("log"));
    }

    @Test
    void sessionTimeoutsDeriveFromTickTime() {
        ServerConfig derived = parse("tickTime", "100");
        assertThat(derived.minSessionTimeout()).isEqualTo(200);
        assertThat(derived.maxSessionTimeout()).isEqualTo(2000);

        ServerConfig minusOne = parse("tickTime", "100", "minSessionTimeout", "-1", "maxSessionTimeout", "-1");
        assertThat(minusOne.minSessionTimeout()).isEqualTo(200);
        assertThat(minusOne.maxSessionTimeout()).isEqualTo(2000);

        ServerConfig onlyMax = parse("tickTime", "100", "maxSessionTimeout", "300");
        assertThat(onlyMax.minSessionTimeout()).isEqualTo(200);
        assertThat(onlyMax.maxSessionTimeout()).isEqualTo(300);

        ServerConfig huge = parse("tickTime", Integer.toString(Integer.MAX_VALUE / 2));
        assertThat(huge.maxSessionTimeout()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void minSessionTimeoutAboveMaxIsRejected() {
        assertThatThrownBy(() -> parse("minSessionTimeout", "5000", "maxSessionTimeout", "4000"))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("minSessionTimeout"))
                .hasMessageContaining("minSessionTimeout");
        // A large tickTime lifts the derived minimum above an explicit maximum.
        assertThatThrownBy(() -> parse("tickTime", "3000", "maxSessionTimeout", "5000"))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("minSessionTimeout"));
        assertThat(parse("minSessionTimeout", "4000", "maxSessionTimeout", "4000").minSessionTimeout())
                .isEqualTo(4000);
    }

    @Test
    void whitelistStarMeansEveryKnownWord() {
        assertThat(parse("4lw.commands.whitelist", "*").fourLetterWordWhitelist())
                .containsExactly("ruok", "srvr", "stat", "mntr", "conf", "cons", "crst", "srst", "envi", "wchs",
                        "wchc", "wchp", "dump", "dirs", "isro", "gtmk", "stmk", "hash", "xfer");
        assertThat(parse("4lw.commands.whitelist", "stat, *").fourLetterWordWhitelist()).hasSize(19);
    }

    @Test
    void whitelistIgnoresUnknownWordsWithAWarning() {
        ServerConfig c = parse("4lw.commands.whitelist", "ruok, bogus,STAT");

        assertThat(c.fourLetterWordWhitelist()).containsExactly("ruok", "stat");
        assertThat(messagesAt(Level.WARN)).singleElement().asString().contains("bogus");
    }

    @Test
    void emptyWhitelistDisablesEveryWord() {
        assertThat(parse("4lw.commands.whitelist", "").fourLetterWordWhitelist()).isEmpty();
    }

    @Test
    void whitelistIsImmutable() {
        assertThatThrownBy(() -> parse().fourLetterWordWhitelist().add("stat"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void snapRetainCountBelowThreeIsRaisedWithAWarning() {
        assertThat(parse("autopurge.snapRetainCount", "1").snapRetainCount()).isEqualTo(3);
        assertThat(parse("autopurge.snapRetainCount", "-4").snapRetainCount()).isEqualTo(3);
        assertThat(messagesAt(Level.WARN)).hasSize(2).allMatch(m -> m.contains("autopurge.snapRetainCount"));
    }

    @Test
    void clientPortAddressAcceptsLiteralsAndLocalhostOnly() {
        assertThat(parse("clientPortAddress", "localhost").clientAddress().getAddress().isLoopbackAddress())
                .isTrue();
        assertThat(parse("clientPortAddress", "::1").clientAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(parse("clientPortAddress", "[::]").clientAddress().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(parse("clientPortAddress", "192.168.0.7").clientAddress().getAddress().getHostAddress())
                .isEqualTo("192.168.0.7");
        // No octal reading of a leading zero, as some resolvers would do.
        assertThat(parse("clientPortAddress", "010.0.0.1").clientAddress().getAddress().getHostAddress())
                .isEqualTo("10.0.0.1");
        assertThat(parse("clientPort", "0").clientAddress().getPort()).isZero();
        assertThat(parse("clientPort", "65535").clientAddress().getPort()).isEqualTo(65535);
    }

    @Test
    void unknownKeyIsWarnedAboutButNotFatal() {
        ServerConfig c = parse("tickTme", "2000", "tickTime", "2500");

        assertThat(c.tickTime()).isEqualTo(2500);
        assertThat(messagesAt(Level.WARN)).containsExactly("Unknown config key 'tickTme' ignored");
    }

    @Test
    void ensembleKeysOfAStandaloneFileAreAcceptedAndAbsentFeaturesWarned() {
        ServerConfig c = parse("initLimit", "10", "syncLimit", "5", "peerType", "participant",
                "standaloneEnabled", "true",
                "reconfigEnabled", "false", "admin.enableServer", "false", "admin.serverPort", "8080",
                "quorumListenOnAllIPs", "true");

        assertThat(c.tickTime()).isEqualTo(3000);
        assertThat(c.ensemble()).isEmpty();
        assertThat(messagesAt(Level.WARN)).hasSize(1)
                .allMatch(m -> m.contains("is for a ZooKeeper feature Corral does not have; ignored"));
    }

    @ParameterizedTest
    @CsvSource({
            "zookeeper.authProvider.ldap, com.example.Ldap",
            "quorum.auth.unknownKey, true",
            "jaasLoginRenew, 3600000",
            "audit.enable, true",
            "requireClientAuthScheme, sasl",
            "ssl.crl, true",
            "ssl.ocsp, true",
            "ssl.context.supplier.class, com.example.Supplier",
            "DigestAuthenticationProvider.digestAlg, SHA3-256",
    })
    void unimplementedSecurityKeysStopStartUpNamingTheKey(String key, String value) {
        assertThatThrownBy(() -> parse(key, value))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining("not supported by Corral")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
    }

    @Test
    void everyRefusedSecurityKeyIsNamed() {
        assertThatThrownBy(() -> parse("audit.enable", "true", "ssl.crl", "true"))
                .hasMessageContaining("audit.enable").hasMessageContaining("ssl.crl");
    }

    /** Corral reads ZooKeeper's quorum SASL keys (QuorumSaslConfigTest) and checks them as ZooKeeper does. */
    @Test
    void quorumSaslKeysAreCheckedAsZooKeeperChecksThem() {
        assertThatThrownBy(() -> parse("quorum.auth.enableSasl", "true", "quorum.auth.serverRequireSasl", "true"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("quorum.auth.learnerRequireSasl is disabled, so cannot enable "
                        + "quorum.auth.serverRequireSasl");
        assertThatThrownBy(() -> parse("quorum.auth.foo", "true"))
                .hasMessageContaining("quorum.auth.foo is not supported")
                .hasMessageContaining("Corral's quorum SASL reads quorum.auth.enableSasl");
    }

    @Test
    void kerberosNameKeysAreRead() {
        parse("kerberos.removeHostFromPrincipal", "true", "kerberos.removeRealmFromPrincipal", "false",
                "allowSaslFailedClients", "true");
        assertThat(messagesAt(Level.WARN)).isEmpty();
    }

    @Test
    void securitySwitchesLeftOffAreAccepted() {
        parse("audit.enable", "false", "quorum.auth.enableSasl", "false", "quorum.auth.learnerRequireSasl", "no",
                "ssl.crl", "false", "ssl.ocsp", "false");

        assertThat(messagesAt(Level.WARN)).isEmpty();
        // the quorum SASL switches are read (off); the other three are left unread as Corral has them
        assertThat(messagesAt(Level.INFO)).hasSize(3).allMatch(m -> m.contains("as Corral has it"));
    }

    @Test
    void embeddedDefaultsListenLocallyWithDataUnderTheWorkingDirectory() {
        ServerConfig c = ServerConfig.embeddedDefaults();

        assertThat(c.tickTime()).isEqualTo(2000);
        assertThat(c.clientAddress().getPort()).isEqualTo(2181);
        assertThat(c.clientAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(c.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(c.dataLogDir()).isEqualTo(c.dataDir());
        assertThat(c.minSessionTimeout()).isEqualTo(4000);
        assertThat(c.maxSessionTimeout()).isEqualTo(40000);
        assertThat(c.fourLetterWordWhitelist()).containsExactly("srvr");
    }

    @Test
    void withClientPortChangesOnlyThePort() {
        ServerConfig original = parse("clientPortAddress", "127.0.0.1", "tickTime", "700");
        ServerConfig copy = original.withClientPort(0);

        assertThat(copy.clientAddress()).isEqualTo(new InetSocketAddress(original.clientAddress().getAddress(), 0));
        assertThat(original.clientAddress().getPort()).isEqualTo(2181);
        assertThat(copy.asMap()).isEqualTo(withEntry(original.asMap(), "clientPort", "0"));
        assertThat(copy.dataDir()).isEqualTo(original.dataDir());
        assertThat(copy.fourLetterWordWhitelist()).isEqualTo(original.fourLetterWordWhitelist());
        assertThatThrownBy(() -> original.withClientPort(70000))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("clientPort"));
    }

    @Test
    void idleStrategyDefaultsToParkAndRejectsUnknownValues() {
        assertThat(parse().idleStrategy()).isEqualTo("park");
        assertThat(parse("idleStrategy", "SPIN").idleStrategy()).isEqualTo("spin");
        assertThat(parse("idleStrategy", "yield").idleStrategy()).isEqualTo("yield");
        assertThatThrownBy(() -> parse("idleStrategy", "nap"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("idleStrategy"));
    }

    private static Map<String, String> withEntry(Map<String, String> map, String key, String value) {
        Map<String, String> copy = new HashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    @Test
    void asMapListsEffectiveValuesInAFixedOrder() {
        Map<String, String> map = parse("tickTime", "1000", "forceSync", "no").asMap();

        assertThat(map.keySet()).containsExactly("clientPort", "clientPortAddress", "dataDir", "dataLogDir",
                "tickTime", "maxClientCnxns", "minSessionTimeout", "maxSessionTimeout", "globalOutstandingLimit",
                "extendedTypesEnabled", "forceSync", "snapCount", "autopurge.snapRetainCount",
                "autopurge.purgeInterval", "jute.maxbuffer", "serverId");
        assertThat(map).containsEntry("clientPort", "2181").containsEntry("clientPortAddress", "0.0.0.0")
                .containsEntry("dataDir", Path.of("/var/corral").toString())
                .containsEntry("minSessionTimeout", "2000").containsEntry("maxSessionTimeout", "20000")
                .containsEntry("forceSync", "no").containsEntry("extendedTypesEnabled", "false")
                .containsEntry("jute.maxbuffer", "1048575").containsEntry("serverId", "0");
        assertThatThrownBy(() -> map.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void loadReadsAZooCfgFile(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, String.join("\n",
                "# a typical standalone file",
                "tickTime = 2000",
                "dataDir=" + dir.resolve("data").toString().replace("\\", "\\\\"),
                "clientPort: 2182",
                "initLimit=5",
                "4lw.commands.whitelist=srvr, ruok ,\\",
                "    mntr",
                "autopurge.purgeInterval=1   ",
                ""), StandardCharsets.UTF_8);

        ServerConfig c = ServerConfig.load(cfg);

        assertThat(c.tickTime()).isEqualTo(2000);
        assertThat(c.dataDir()).isEqualTo(dir.resolve("data").toAbsolutePath().normalize());
        assertThat(c.clientAddress().getPort()).isEqualTo(2182);
        assertThat(c.fourLetterWordWhitelist()).containsExactly("ruok", "srvr", "mntr");
        assertThat(c.purgeIntervalHours()).isEqualTo(1);
        assertThat(c.initialConfiguration()).as("initial_configuration: the file as it was read")
                .isEqualTo(Files.readString(cfg, StandardCharsets.UTF_8));
        assertThat(messagesAt(Level.WARN)).isEmpty();
    }

    @Test
    void adminHttpsTakesTheQuorumStoresAndAsksForCertificatesOnlyWhenTold() {
        ServerConfig plain = parse();
        assertThat(plain.adminServer().tls()).isNull();
        ServerConfig https = parse("admin.forceHttps", "true", "ssl.quorum.keyStore.location", "/tmp/k.p12",
                "ssl.quorum.keyStore.password", "pw", "X509AuthenticationProvider.superUser", "CN=admin");
        assertThat(https.adminServer().forceHttps()).isTrue();
        assertThat(https.adminServer().tls().keyStore().location()).isEqualTo(Path.of("/tmp/k.p12"));
        assertThat(https.adminServer().tls().clientAuth()).isEqualTo(TlsConfig.ClientAuth.NONE);
        assertThat(https.adminServer().tls().x509SuperUser()).isEqualTo("CN=admin");
        assertThat(parse("admin.portUnification", "true", "admin.needClientAuth", "true",
                "ssl.quorum.keyStore.location", "/tmp/k.p12").adminServer().tls().clientAuth())
                .isEqualTo(TlsConfig.ClientAuth.NEED);
        assertThatThrownBy(() -> parse("admin.forceHttps", "true"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ssl.quorum.keyStore.location");
        assertThatThrownBy(() -> parse("admin.needClientAuth", "true"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("admin.needClientAuth");
    }

    @Test
    void keysGivenWithoutAFileAreTheInitialConfigurationAsZooCfgLines() {
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        keys.put("dataDir", "/tmp/corral-initial");
        keys.put("tickTime", "2000");
        assertThat(ServerConfig.parse(keys).initialConfiguration())
                .isEqualTo("dataDir=/tmp/corral-initial\ntickTime=2000\n");
    }

    @Test
    void loadOfAMissingFileFailsNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.cfg");

        assertThatThrownBy(() -> ServerConfig.load(missing))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo(missing.toString()))
                .hasMessageContaining(missing.toString());
    }

    @Test
    void loadValidatesLikeParse(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, "tickTime=2000\nclientPort=2181\n");

        assertThatThrownBy(() -> ServerConfig.load(cfg))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("dataDir"));
    }
}
