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
}
