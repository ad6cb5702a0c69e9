package io.corral.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.corral.server.ensemble.ServerProcess.Role;

/**
 * The files and links an ensemble gets, checked without starting it (Corral has no replicated mode yet): each
 * server's zoo.cfg names itself at its real peer ports and every other server at the proxy of that ordered link.
 */
class ProcessClusterConfigTest {

    @RegisterExtension
    final ProcessClusters clusters = new ProcessClusters();

    @TempDir
    Path dir;

    private static Properties cfg(ProcessCluster cluster, int id) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(cluster.server(id).configFile(), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    /** {quorum, election} of server.j in server i's config. */
    private static int[] peerPorts(ProcessCluster cluster, int i, int j) throws IOException {
        String[] parts = cfg(cluster, i).getProperty("server." + j).split(":");
        return new int[] {Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
    }

    @Test
    void everyPeerAddressOfAServerIsTheProxyOfThatLink() throws IOException {
        ProcessCluster cluster = clusters.track(ProcessCluster.builder(dir).participants(3).observers(1).build());
        assertThat(cluster.ids()).containsExactly(1, 2, 3, 4);
        for (int i = 1; i <= 4; i++) {
            Properties p = cfg(cluster, i);
            assertThat(p.getProperty("clientPort")).isEqualTo(Integer.toString(cluster.clientPort(i)));
            assertThat(p.getProperty("clientPortAddress")).isEqualTo("127.0.0.1");
            assertThat(p.getProperty("4lw.commands.whitelist")).isEqualTo("*");
            assertThat(p.getProperty("tickTime")).isNotNull();
            assertThat(p.getProperty("initLimit")).isNotNull();
            assertThat(p.getProperty("syncLimit")).isNotNull();
            assertThat(Path.of(p.getProperty("dataDir"))).isEqualTo(cluster.server(i).dir().resolve("data"));
            assertThat(Files.readString(Path.of(p.getProperty("dataDir"), "myid")).trim())
                    .isEqualTo(Integer.toString(i));
            assertThat(p.getProperty("peerType")).isEqualTo(i == 4 ? "observer" : null);
            for (int j = 1; j <= 4; j++) {
                assertThat(p.getProperty("server." + j)).startsWith("127.0.0.1:");
                assertThat(p.getProperty("server." + j).endsWith(":observer")).isEqualTo(j == 4);
                int[] own = peerPorts(cluster, j, j);
                int[] seen = peerPorts(cluster, i, j);
                if (i == j) {
                    continue;
                }
                LinkProxy link = cluster.link(i, j);
                assertThat(seen[0]).isEqualTo(link.listenPort(own[0])).isNotEqualTo(own[0]);
                assertThat(seen[1]).isEqualTo(link.listenPort(own[1])).isNotEqualTo(own[1]);
            }
        }
        assertThat(cluster.connectString().split(",")).hasSize(4);
        assertThat(cluster.roles()).containsValues(Role.UNREACHABLE).doesNotContainValue(Role.LEADER);
    }

    @Test
    void isolateCutsEveryLinkOfTheServerBothWaysAndHealRestoresThem() {
        ProcessCluster cluster = clusters.track(ProcessCluster.builder(dir).participants(3).build());
        cluster.isolate(2);
        assertThat(cluster.link(1, 2).isCut()).isTrue();
        assertThat(cluster.link(2, 1).isCut()).isTrue();
        assertThat(cluster.link(3, 2).isCut()).isTrue();
        assertThat(cluster.link(2, 3).isCut()).isTrue();
        assertThat(cluster.link(1, 3).isCut()).isFalse();
        assertThat(cluster.link(3, 1).isCut()).isFalse();

        cluster.isolate(3);
        cluster.heal(2);
        assertThat(cluster.link(1, 2).isCut()).isFalse();
        assertThat(cluster.link(2, 1).isCut()).isFalse();
        assertThat(cluster.link(2, 3).isCut()).as("3 is still isolated").isTrue();
        assertThat(cluster.link(1, 3).isCut()).isTrue();
        cluster.heal(3);
        assertThat(cluster.link(2, 3).isCut()).isFalse();
        assertThat(cluster.link(3, 1).isCut()).isFalse();
    }

    @Test
    void aStandaloneServerHasNoServerLinesAndNoLinks() throws IOException {
        ProcessCluster cluster = clusters.track(ProcessCluster.builder(dir).standalone().build());
        Properties p = cfg(cluster, 1);
        assertThat(p.stringPropertyNames()).noneMatch(k -> k.startsWith("server."));
        assertThat(Files.readString(cluster.server(1).dir().resolve("data/myid")).trim()).isEqualTo("1");
        assertThatThrownBy(() -> cluster.isolate(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void srvrModeLinesMapToRoles() {
        assertThat(ServerProcess.parseRole("Zookeeper version: x\nMode: leader\nNode count: 4\n"))
                .isEqualTo(Role.LEADER);
        assertThat(ServerProcess.parseRole("Mode: follower\n")).isEqualTo(Role.FOLLOWER);
        assertThat(ServerProcess.parseRole("Mode: observer\n")).isEqualTo(Role.OBSERVER);
        assertThat(ServerProcess.parseRole("Mode: standalone\n")).isEqualTo(Role.STANDALONE);
        assertThat(ServerProcess.parseRole("This ZooKeeper instance is not currently serving requests\n"))
                .isEqualTo(Role.NOT_SERVING);
        assertThat(ServerProcess.parseRole(null)).isEqualTo(Role.UNREACHABLE);
    }
}
