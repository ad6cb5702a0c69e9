package io.corral.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ZooKeeper's quorum.auth.* keys and their JAAS sections, read and checked as ZooKeeper's QuorumPeerConfig does. */
class QuorumSaslConfigTest {
    private static final String SECTIONS = "QuorumServer {\n " + SaslConfig.DIGEST_LOGIN_MODULE
            + " required\n user_a=\"pa\"\n user_b=\"pb\";\n};\nQuorumLearner {\n " + SaslConfig.DIGEST_LOGIN_MODULE
            + " required\n username=\"a\"\n password=\"pa\";\n};\nKerberos {\n "
            + SaslConfig.KERBEROS_LOGIN_MODULE + " required\n principal=\"zkquorum/localhost@EXAMPLE.COM\";\n};\n";

    @TempDir
    Path dir;

    private Properties jaas() throws IOException {
        Properties system = new Properties();
        system.setProperty("java.security.auth.login.config",
                Files.writeString(dir.resolve("jaas.conf"), SECTIONS).toString());
        return system;
    }

    private static QuorumSaslConfig parse(Properties system, String... keyValues) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            keys.put(keyValues[i], keyValues[i + 1]);
        }
        return QuorumSaslConfig.parse(new RawConfig(keys), system);
    }

    @Test
    void offWithoutTheKeys() {
        assertThat(parse(new Properties()).enabled()).isFalse();
        assertThat(parse(new Properties(), "quorum.auth.enableSasl", "false").enabled()).isFalse();
    }

    @Test
    void theSectionsOfTheLearnerAndTheServer() throws IOException {
        QuorumSaslConfig sasl = parse(jaas(), "quorum.auth.enableSasl", "true", "quorum.auth.learnerRequireSasl",
                "true", "quorum.auth.serverRequireSasl", "true");
        assertThat(sasl.enabled()).isTrue();
        assertThat(sasl.learnerRequired()).isTrue();
        assertThat(sasl.serverRequired()).isTrue();
        assertThat(sasl.username()).isEqualTo("a");
        assertThat(sasl.password()).isEqualTo("pa");
        assertThat(sasl.credentials()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "pa", "b", "pb"));
    }

    @Test
    void theRequirementsNeedWhatZooKeeperMakesThemNeed() throws IOException {
        Properties system = jaas();
        assertThatThrownBy(() -> parse(system, "quorum.auth.serverRequireSasl", "true"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("quorum.auth.enableSasl is disabled, so cannot enable "
                        + "quorum.auth.serverRequireSasl");
        assertThatThrownBy(() -> parse(system, "quorum.auth.learnerRequireSasl", "true"))
                .hasMessageContaining("quorum.auth.enableSasl is disabled, so cannot enable "
                        + "quorum.auth.learnerRequireSasl");
        assertThatThrownBy(() -> parse(system, "quorum.auth.enableSasl", "true", "quorum.auth.serverRequireSasl",
                "true")).hasMessageContaining("quorum.auth.learnerRequireSasl is disabled, so cannot enable "
                        + "quorum.auth.serverRequireSasl");
    }

    @Test
    void aMissingSectionOrAKerberosOneStopsStartUp() throws IOException {
        Properties system = jaas();
        assertThatThrownBy(() -> parse(system, "quorum.auth.enableSasl", "true",
                "quorum.auth.learner.saslLoginContext", "Nowhere"))
                .hasMessageContaining("'Nowhere' could not be found");
        assertThatThrownBy(() -> parse(system, "quorum.auth.enableSasl", "true",
                "quorum.auth.server.saslLoginContext", "Kerberos"))
                .hasMessageContaining("DIGEST-MD5 only");
        assertThatThrownBy(() -> parse(new Properties(), "quorum.auth.enableSasl", "true"))
                .hasMessageContaining("needs a JAAS file");
    }
}
