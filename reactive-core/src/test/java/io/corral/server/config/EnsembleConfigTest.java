package io.corral.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnsembleConfigTest {
    @TempDir
    Path dataDir;

    private Map<String, String> base(String... serverLines) {
        Map<String, String> keys = new HashMap<>();
        keys.put("dataDir", dataDir.toString());
        keys.put("initLimit", "10");
        keys.put("syncLimit", "5");
        for (int i = 0; i < serverLines.length; i++) {
            keys.put("server." + (i + 1), serverLines[i]);
        }
        return keys;
    }

    private void myId(long id) throws IOException {
        Files.writeString(dataDir.resolve("myid"), id + "\n");
    }

    @Test
    void threeServersWithObserverAndClientAddresses() throws IOException {
        myId(2);
        ServerConfig config = ServerConfig.parse(base("127.0.0.1:2888:3888", "127.0.0.1:2889:3889;127.0.0.1:2182",
                "[::1]:2890:3890:observer;2183"));
        EnsembleConfig e = config.ensemble().orElseThrow();
        assertThat(e.myId()).isEqualTo(2);
        assertThat(e.members()).hasSize(3);
        assertThat(e.me().peerAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 2889));
        assertThat(e.me().clientAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 2182));
        assertThat(e.members().get(3L).observer()).isTrue();
        assertThat(e.members().get(3L).peerAddress().getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(e.members().get(3L).clientAddress().getPort()).isEqualTo(2183);
        assertThat(e.isObserver()).isFalse();
        assertThat(e.initLimit()).isEqualTo(10);
        assertThat(e.syncLimit()).isEqualTo(5);
        assertThat(config.asMap()).containsEntry("serverId", "2").containsEntry("peerType", "participant");
    }

    @Test
    void noServerLinesOrASingleParticipantIsStandalone() throws IOException {
        Map<String, String> none = base();
        assertThat(ServerConfig.parse(none).ensemble()).isEmpty();
        assertThat(ServerConfig.parse(base("127.0.0.1:2888:3888")).ensemble()).isEmpty();
    }

    @Test
    void mistakesNameTheirKey() throws IOException {
        assertThatThrownBy(() -> ServerConfig.parse(base("127.0.0.1:2888:3888", "127.0.0.1:2889:3889")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("myid").hasMessageContaining("missing");
        myId(7);
        assertThatThrownBy(() -> ServerConfig.parse(base("127.0.0.1:2888:3888", "127.0.0.1:2889:3889")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.7");
        myId(1);
        assertThatThrownBy(() -> ServerConfig.parse(base("127.0.0.1:2888", "127.0.0.1:2889:3889")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.1");
        assertThatThrownBy(() -> ServerConfig.parse(base("127.0.0.1:2888:3888:leader", "127.0.0.1:2889:3889")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("participant or observer");
        assertThatThrownBy(() -> ServerConfig.parse(base("127.0.0.1:99999:3888", "127.0.0.1:2889:3889")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.1");
        assertThatThrownBy(() -> ServerConfig.parse(base("db.example:2888:3888", "127.0.0.1:2889:3889")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.1");
        Map<String, String> noInit = base("127.0.0.1:2888:3888", "127.0.0.1:2889:3889");
        noInit.remove("initLimit");
        assertThatThrownBy(() -> ServerConfig.parse(noInit))
                .isInstanceOf(ConfigException.class).hasMessageContaining("initLimit");
        Map<String, String> wrongType = base("127.0.0.1:2888:3888", "127.0.0.1:2889:3889");
        wrongType.put("peerType", "observer");
        assertThatThrownBy(() -> ServerConfig.parse(wrongType))
                .isInstanceOf(ConfigException.class).hasMessageContaining("peerType");
        assertThatThrownBy(() -> ServerConfig.parse(base("127.0.0.1:2888:3888:observer",
                "127.0.0.1:2889:3889:observer"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("no participant");
    }

    @Test
    void configTextIsWhatZooKeeperWritesBack() throws IOException {
        myId(1);
        EnsembleConfig e = ServerConfig.parse(base("127.0.0.1:2888:3888;127.0.0.1:2181", "localhost:2889:3889",
                "[::1]:2890:3890:observer;[::1]:2183", "127.0.0.1:2891:3891:participant;2184",
                "[0:0:0:0:0:0:0:1]:2892:3892")).ensemble().orElseThrow();
        assertThat(e.version()).isZero();
        assertThat(e.configText()).isEqualTo("server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181\n"
                + "server.2=localhost:2889:3889:participant\n"
                + "server.3=[::1]:2890:3890:observer;[::1]:2183\n"
                + "server.4=127.0.0.1:2891:3891:participant;0.0.0.0:2184\n"
                + "server.5=[0:0:0:0:0:0:0:1]:2892:3892:participant\n"
                + "version=0");
    }

    @Test
    void aVersionInZooCfgIsHexadecimal() throws IOException {
        myId(1);
        Map<String, String> keys = base("127.0.0.1:2888:3888", "127.0.0.1:2889:3889");
        keys.put("version", "1a00000003");
        EnsembleConfig e = ServerConfig.parse(keys).ensemble().orElseThrow();
        assertThat(e.version()).isEqualTo(0x1a00000003L);
        assertThat(e.configText()).endsWith("\nversion=1a00000003");
        keys.put("version", "xyz");
        assertThatThrownBy(() -> ServerConfig.parse(keys)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("version");
    }

    @Test
    void linesFromTheDynamicFileWithTheVersionOfItsName() throws IOException {
        myId(2);
        Path dynamic = dataDir.resolve("zoo.cfg.dynamic.200000005");
        Files.writeString(dynamic, "server.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889:observer;2182\n"
                + "server.3=127.0.0.1:2890:3890\n");
        Map<String, String> keys = base();
        keys.put("dynamicConfigFile", dynamic.toString());
        EnsembleConfig e = ServerConfig.parse(keys).ensemble().orElseThrow();
        assertThat(e.members()).hasSize(3);
        assertThat(e.isObserver()).isTrue();
        assertThat(e.version()).isEqualTo(0x200000005L);
        assertThat(e.dynamicConfigFile()).isEqualTo(dynamic);
        assertThat(DynamicConfigFile.versionOf("zoo.cfg.dynamic")).isZero();
        assertThat(DynamicConfigFile.versionOf("dynamic")).isZero();
    }

    @Test
    void aDynamicFileHoldsServerLinesOnly() throws IOException {
        myId(1);
        Path dynamic = dataDir.resolve("zoo.cfg.dynamic.1");
        Map<String, String> keys = base();
        keys.put("dynamicConfigFile", dynamic.toString());
        assertThatThrownBy(() -> ServerConfig.parse(keys)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("Error processing " + dynamic);
        Files.writeString(dynamic, "server.1=127.0.0.1:2888:3888\nversion=1\n");
        assertThatThrownBy(() -> ServerConfig.parse(keys)).hasMessageContaining("shouldn't have version inside");
        Files.writeString(dynamic, "server.1=127.0.0.1:2888:3888\ntickTime=100\n");
        assertThatThrownBy(() -> ServerConfig.parse(keys)).hasMessageContaining("Unrecognised parameter: tickTime");
        Files.writeString(dynamic, "server.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\n");
        Map<String, String> both = base("127.0.0.1:2890:3890");
        both.put("dynamicConfigFile", dynamic.toString());
        assertThatThrownBy(() -> ServerConfig.parse(both)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("parameter: server.1 must be in a separate dynamic config file");
        keys.put("version", "5");
        assertThatThrownBy(() -> ServerConfig.parse(keys)).hasMessageContaining("version must not be set");
    }

    @Test
    void standaloneDisabledMakesASingleParticipantAnEnsemble() throws IOException {
        myId(1);
        Map<String, String> keys = base("127.0.0.1:2888:3888");
        keys.put("standaloneEnabled", "false");
        EnsembleConfig e = ServerConfig.parse(keys).ensemble().orElseThrow();
        assertThat(e.members()).containsOnlyKeys(1L);
        Map<String, String> none = base();
        none.put("standaloneEnabled", "false");
        assertThatThrownBy(() -> ServerConfig.parse(none)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("standaloneEnabled");
    }

    @Test
    void reconfigEnabledIsReadWithStandaloneEnabled() throws IOException {
        myId(1);
        Map<String, String> keys = base("127.0.0.1:2888:3888;127.0.0.1:2191", "127.0.0.1:2889:3889");
        assertThat(ServerConfig.parse(keys).ensemble().orElseThrow().reconfigEnabled()).isFalse();
        keys.put("reconfigEnabled", "true");
        keys.put("standaloneEnabled", "false");
        EnsembleConfig e = ServerConfig.parse(keys).ensemble().orElseThrow();
        assertThat(e.reconfigEnabled()).isTrue();
        assertThat(e.standaloneEnabled()).isFalse();
        assertThat(e.serverLines().voters()).containsExactly(1L, 2L);
        assertThat(e.serverLines().configText()).isEqualTo(e.configText());
        keys.put("reconfigEnabled", "maybe");
        assertThatThrownBy(() -> ServerConfig.parse(keys)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("reconfigEnabled");
    }

    @Test
    void theServerLineDecidesTheClientAddressAndMustAgreeWithClientPort() throws IOException {
        myId(1);
        Map<String, String> keys = base("127.0.0.1:2888:3888;127.0.0.1:2191", "127.0.0.1:2889:3889");
        assertThat(ServerConfig.parse(keys).clientAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 2191));
        keys.put("clientPort", "2191");
        assertThat(ServerConfig.parse(keys).clientAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 2191));
        keys.put("clientPort", "2192");
        assertThatThrownBy(() -> ServerConfig.parse(keys)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("is different from client address");
        keys.put("clientPort", "2191");
        keys.put("clientPortAddress", "127.0.0.2");
        assertThatThrownBy(() -> ServerConfig.parse(keys)).hasMessageContaining("is different from client address");
    }
}
