package io.corral.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ZooKeeper's admin.* keys: its defaults, its system properties ({@code zookeeper.admin.*}) and its precedence (a
 * zoo.cfg key wins). The test JVM runs with {@code zookeeper.admin.enableServer=false}; each test sets what it needs
 * and the property is put back afterwards.
 */
class AdminServerConfigTest {
    private static final String ENABLE = "zookeeper.admin.enableServer";
    private static final String PORT = "zookeeper.admin.serverPort";
    private String enableBefore;

    @BeforeEach
    void clearProperties() {
        enableBefore = System.getProperty(ENABLE);
        System.clearProperty(ENABLE);
        System.clearProperty(PORT);
    }

    @AfterEach
    void restoreProperties() {
        System.clearProperty(PORT);
        if (enableBefore == null) {
            System.clearProperty(ENABLE);
        } else {
            System.setProperty(ENABLE, enableBefore);
        }
    }

    private static AdminServerConfig parse(String... keyValues) {
        return ConfigMaps.parse(keyValues).adminServer();
    }

    @Test
    void zooKeepersDefaults() {
        AdminServerConfig admin = parse();
        assertThat(admin.enabled()).isTrue();
        assertThat(admin.address().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(admin.address().getPort()).isEqualTo(8080);
        assertThat(admin.commandUrl()).isEqualTo("/commands");
        assertThat(admin.idleTimeoutMs()).isEqualTo(30_000);
    }

    @Test
    void theKeysOfZooCfg() {
        AdminServerConfig admin = parse("admin.enableServer", "false", "admin.serverAddress", "127.0.0.1",
                "admin.serverPort", "9090", "admin.commandURL", "/cmds", "admin.idleTimeout", "5000");
        assertThat(admin.enabled()).isFalse();
        assertThat(admin.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(admin.address().getPort()).isEqualTo(9090);
        assertThat(admin.commandUrl()).isEqualTo("/cmds");
        assertThat(admin.idleTimeoutMs()).isEqualTo(5000);
    }

    @Test
    void systemPropertiesWhenZooCfgSaysNothingAndZooCfgOverThem() {
        System.setProperty(ENABLE, "false");
        System.setProperty(PORT, "9191");
        assertThat(parse().enabled()).isFalse();
        assertThat(parse().address().getPort()).isEqualTo(9191);
        assertThat(parse("admin.enableServer", "true", "admin.serverPort", "9292").enabled()).isTrue();
        assertThat(parse("admin.serverPort", "9292").address().getPort()).isEqualTo(9292);
    }
}
