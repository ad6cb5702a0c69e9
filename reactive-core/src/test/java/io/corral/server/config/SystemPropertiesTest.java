package io.corral.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** ZooKeeper's -D properties for the keys a zoo.cfg leaves out, with ZooKeeper's precedence: the file wins. */
class SystemPropertiesTest {
    private final Logger log = (Logger) LoggerFactory.getLogger(SystemPropertiesTest.class);

    private static Properties properties(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    private ServerConfig config(Map<String, String> file, Properties properties) {
        Map<String, String> keys = new LinkedHashMap<>(file);
        keys.put("dataDir", "/tmp/corral-sysprops");
        return ServerConfig.parse(SystemProperties.fill(keys, properties, log));
    }

    @Test
    void propertiesFillWhatTheFileLeavesOut() {
        ServerConfig c = config(Map.of(), properties(
                "zookeeper.4lw.commands.whitelist", "ruok,mntr",
                "zookeeper.DigestAuthenticationProvider.superDigest", "super:lK75jTNcA+U9vtVEw5vB51mj/w4=",
                "zookeeper.extendedTypesEnabled", "true",
                "jute.maxbuffer", "4194304",
                "zookeeper.snapCount", "5000",
                "zookeeper.forceSync", "no",
                "zookeeper.skipACL", "yes",
                "zookeeper.globalOutstandingLimit", "250",
                "zookeeper.digest.enabled", "false"));
        assertThat(c.fourLetterWordWhitelist()).containsExactly("ruok", "mntr");
        assertThat(c.digestEnabled()).isFalse();
        assertThat(c.superDigest()).isEqualTo("super:lK75jTNcA+U9vtVEw5vB51mj/w4=");
        assertThat(c.extendedTypesEnabled()).isTrue();
        assertThat(c.juteMaxBuffer()).isEqualTo(4194304);
        assertThat(c.snapCount()).isEqualTo(5000);
        assertThat(c.forceSync()).isFalse();
        assertThat(c.skipAcl()).isTrue();
        assertThat(c.globalOutstandingLimit()).isEqualTo(250);
    }

    @Test
    void theFileWinsOverAProperty() {
        ServerConfig c = config(Map.of("4lw.commands.whitelist", "srvr", "snapCount", "7000",
                "zookeeper.extendedTypesEnabled", "false", "digest.enabled", "true"), properties(
                "zookeeper.4lw.commands.whitelist", "*", "zookeeper.snapCount", "5000",
                "zookeeper.extendedTypesEnabled", "true", "zookeeper.digest.enabled", "false"));
        assertThat(c.digestEnabled()).isTrue();
        assertThat(c.fourLetterWordWhitelist()).containsExactly("srvr");
        assertThat(c.snapCount()).isEqualTo(7000);
        assertThat(c.extendedTypesEnabled()).isFalse();
    }

    @Test
    void saslPropertiesFillAndTheFileWins() {
        Properties sasl = properties("zookeeper.kerberos.removeHostFromPrincipal", "true",
                "zookeeper.kerberos.removeRealmFromPrincipal", "true", "zookeeper.allowSaslFailedClients", "true",
                "zookeeper.letAnySaslUserDoX", "anyone");
        SaslConfig fromProperties = config(Map.of(), sasl).sasl();
        assertThat(fromProperties.removeHostFromPrincipal()).isTrue();
        assertThat(fromProperties.removeRealmFromPrincipal()).isTrue();
        assertThat(fromProperties.allowSaslFailedClients()).isTrue();
        assertThat(fromProperties.letAnySaslUserDoX()).isEqualTo("anyone");
        SaslConfig fileWins = config(Map.of("kerberos.removeHostFromPrincipal", "false",
                "zookeeper.kerberos.removeRealmFromPrincipal", "false", "letAnySaslUserDoX", "everybody"), sasl).sasl();
        assertThat(fileWins.removeHostFromPrincipal()).isFalse();
        assertThat(fileWins.removeRealmFromPrincipal()).isFalse();
        assertThat(fileWins.letAnySaslUserDoX()).isEqualTo("everybody");
    }

    @Test
    void anUnsupportedServerPropertyIsReportedAsUnknown() {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            config(Map.of(), properties("readonlymode.enabled", "true"));
        } finally {
            log.detachAppender(logged);
        }
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).singleElement().asString()
                .contains("readonlymode.enabled");
    }
}
