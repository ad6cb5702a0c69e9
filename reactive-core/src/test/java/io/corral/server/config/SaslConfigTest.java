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

/** The JAAS server section, the sasl provider and enforce.auth, read as ZooKeeper reads them. */
class SaslConfigTest {
    @TempDir
    Path dir;

    private Path jaas(String text) throws IOException {
        return Files.writeString(dir.resolve("jaas.conf"), text);
    }

    private static SaslConfig parse(Properties system, String... keyValues) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            keys.put(keyValues[i], keyValues[i + 1]);
        }
        return SaslConfig.parse(new RawConfig(keys), false, system);
    }

    private static Properties jaasProperty(Path file) {
        Properties system = new Properties();
        system.setProperty("java.security.auth.login.config", file.toString());
        return system;
    }

    @Test
    void theDigestUsersOfTheServerSection() throws IOException {
        Properties system = jaasProperty(jaas("Server {\n " + SaslConfig.DIGEST_LOGIN_MODULE
                + " required\n user_bob=\"pw1\"\n user_super=\"pw2\";\n};\n"));
        system.setProperty("zookeeper.superUser", "super");
        SaslConfig sasl = parse(system, "authProvider.1", SaslConfig.PROVIDER);
        assertThat(sasl.loginOffered()).isTrue();
        assertThat(sasl.providerEnabled()).isTrue();
        assertThat(sasl.credentials()).containsExactlyInAnyOrderEntriesOf(Map.of("bob", "pw1", "super", "pw2"));
        assertThat(sasl.superUsers()).containsExactly("super");
        assertThat(sasl.enforcedSchemes()).isEmpty();
    }

    @Test
    void noJaasFileOrNoServerSectionMeansNoLogins() throws IOException {
        assertThat(parse(new Properties()).loginOffered()).isFalse();
        Properties other = jaasProperty(jaas("Client {\n " + SaslConfig.DIGEST_LOGIN_MODULE + " required;\n};\n"));
        assertThat(parse(other).loginOffered()).isFalse();
        other.setProperty("zookeeper.sasl.serverconfig", "Client");
        assertThat(parse(other).loginOffered()).isTrue();
    }

    @Test
    void aKrb5LoginModuleSectionMeansGssapiWithItsServicePrincipal() throws IOException {
        Properties system = jaasProperty(jaas("Server {\n " + SaslConfig.KERBEROS_LOGIN_MODULE + " required\n"
                + " useKeyTab=true\n keyTab=\"/etc/zk.keytab\"\n principal=\"zookeeper/host@EXAMPLE.COM\";\n};\n"));
        SaslConfig sasl = parse(system);
        assertThat(sasl.mechanism()).isEqualTo(SaslConfig.Mechanism.GSSAPI);
        assertThat(sasl.servicePrincipal()).isEqualTo("zookeeper/host@EXAMPLE.COM");
        assertThat(sasl.sectionName()).isEqualTo("Server");
        assertThat(sasl.removeHostFromPrincipal()).isFalse();
        assertThat(sasl.removeRealmFromPrincipal()).isFalse();
    }

    @Test
    void aKerberosSectionWithoutAServicePrincipalStopsStartUp() throws IOException {
        for (String principal : new String[] {"", " principal=\"zookeeper@EXAMPLE.COM\""}) {
            Properties system = jaasProperty(jaas("Server {\n " + SaslConfig.KERBEROS_LOGIN_MODULE + " required\n"
                    + " useKeyTab=true\n keyTab=\"/etc/zk.keytab\"" + principal + ";\n};\n"));
            assertThatThrownBy(() -> parse(system)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("principal=\"<service>/<host>@<REALM>\"");
        }
    }

    @Test
    void otherLoginModulesStopStartUp() throws IOException {
        Properties system = jaasProperty(jaas("Server {\n com.example.LdapLoginModule required;\n};\n"));
        assertThatThrownBy(() -> parse(system)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("com.example.LdapLoginModule")
                .hasMessageContaining("Corral offers SASL DIGEST-MD5");
    }

    @Test
    void kerberosNameMappingAndFailedClientKeys() {
        SaslConfig sasl = parse(new Properties(), "kerberos.removeHostFromPrincipal", "true",
                "zookeeper.kerberos.removeRealmFromPrincipal", "true", "allowSaslFailedClients", "TRUE");
        assertThat(sasl.removeHostFromPrincipal()).isTrue();
        assertThat(sasl.removeRealmFromPrincipal()).isTrue();
        assertThat(sasl.allowSaslFailedClients()).isTrue();
        // ZooKeeper compares with "true" exactly: anything else than true/false is refused rather than read as off
        assertThatThrownBy(() -> parse(new Properties(), "kerberos.removeHostFromPrincipal", "yes"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kerberos.removeHostFromPrincipal");
        assertThatThrownBy(() -> parse(new Properties(), "security.auth_to_local", "RULE:[1:$1@$0](.*)s/@.*//"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DEFAULT rule only");
        assertThat(parse(new Properties(), "security.auth_to_local", "DEFAULT").removeHostFromPrincipal()).isFalse();
    }

    @Test
    void zooCfgNamesTheServerSection() throws IOException {
        Properties other = jaasProperty(jaas("Other {\n " + SaslConfig.DIGEST_LOGIN_MODULE + " required;\n};\n"));
        assertThat(parse(other, "sasl.serverconfig", "Other").loginOffered()).isTrue();
    }

    @Test
    void anUnreadableJaasFileStopsStartUp() {
        assertThatThrownBy(() -> parse(jaasProperty(dir.resolve("missing.conf"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("missing.conf");
    }

    @Test
    void enforcedSchemesAsZooKeeperChecksThem() {
        assertThat(parse(new Properties(), "authProvider.1", SaslConfig.PROVIDER, "sessionRequireClientSASLAuth",
                "true").enforcedSchemes()).containsExactly("sasl");
        assertThat(parse(new Properties(), "zookeeper.enforce.auth.enabled", "true", "enforce.auth.schemes",
                "digest, ip").enforcedSchemes()).containsExactly("digest", "ip");
        assertThat(parse(new Properties(), "enforce.auth.enabled", "false", "enforce.auth.schemes", "digest")
                .enforcedSchemes()).isEmpty();
        assertThatThrownBy(() -> parse(new Properties(), "enforce.auth.enabled", "true"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("enforce.auth.schemes must be configured");
        assertThatThrownBy(() -> parse(new Properties(), "sessionRequireClientSASLAuth", "true"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Authentication scheme sasl is not available.");
        assertThatThrownBy(() -> parse(new Properties(), "enforce.auth.enabled", "true", "enforce.auth.schemes",
                "x509")).isInstanceOf(ConfigException.class).hasMessageContaining("x509 is not available");
    }
}
