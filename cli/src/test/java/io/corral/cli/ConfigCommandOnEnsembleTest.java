package io.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.corral.server.membership.CorralEnsemble;
import io.corral.server.membership.EnsembleFiles;
import io.corral.server.membership.StartedEnsemble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code config} on an ensemble (two participants and an observer, client addresses in the lines, a dynamic file of
 * version 100000000): Corral's shell prints what ZooKeeper 3.9.5's zkCli prints against the same servers, with and
 * without a chroot. (That the servers' /zookeeper/config is ZooKeeper's is ConfigNodeContract's part.)
 */
class ConfigCommandOnEnsembleTest {
    @TempDir
    Path dir;

    @Test
    void configPrintsWhatZkCliPrints() throws Exception {
        EnsembleFiles files = new EnsembleFiles(dir, 2, 1, true, "100000000", Map.of());
        try (StartedEnsemble ensemble = CorralEnsemble.start(files)) {
            ensemble.awaitServing(Duration.ofSeconds(60));
            for (String server : List.of(ensemble.connectString(1), ensemble.connectString(3) + "/chroot")) {
                for (List<String> command : List.of(List.of("config"), List.of("config", "-c"),
                        List.of("config", "-s"), List.of("config", "-c", "-s"))) {
                    Transcript expected = ZkCliRunner.oneShot(server, command);
                    assertThat(expected.stdout()).contains("100000000");
                    assertThat(CorralCliRunner.oneShot(server, command)).as(server + " " + command)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void clientConfigOfLinesWithoutClientParts() {
        assertThat(ConfigCommand.clientConfig("server.1=127.0.0.1:1:2:participant\nserver.2=127.0.0.1:3:4:observer"
                + ";[::1]:2181\nserver.3=127.0.0.1:5:6:participant;2182\nversion=0"))
                .startsWith("0 ").contains("::1:2181").contains("0.0.0.0:2182").matches("0 [^,]*,[^,]*,[^,]*");
    }
}
