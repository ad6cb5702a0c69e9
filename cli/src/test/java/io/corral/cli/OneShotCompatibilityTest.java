package io.corral.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.corral.client.ZooKeeperTestServer;
import io.corral.server.compat.CorralServers;
import io.corral.server.compat.ServerUnderTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code corral-cli -server <server> command args} against {@code zkCli.sh -server <server> command args}: one
 * command per run, what it prints and the process's exit code (0, 1 for a failed command, 127 for an unknown one).
 */
class OneShotCompatibilityTest {
    private static final List<List<String>> COMMANDS = List.of(
            List.of("create", "/x", "hello"),
            List.of("get", "-s", "/x"),
            List.of("get", "/nope"),
            List.of("create", "/x"),
            List.of("set", "/x"),
            List.of("ls"),
            List.of("ls", "-q", "/"),
            List.of("foo", "bar"),
            List.of("delete", "/x"),
            List.of("stat", "/x"));

    @Test
    void eachCommandPrintsAndExitsAsZkCli() throws Exception {
        List<Transcript> expected = new ArrayList<>();
        try (ZooKeeperTestServer zk = ZooKeeperTestServer.start(Map.of())) {
            for (List<String> command : COMMANDS) {
                expected.add(ZkCliRunner.oneShot(zk.connectString(), command));
            }
        }
        List<Transcript> actual = new ArrayList<>();
        try (ServerUnderTest corral = CorralServers.start(Map.of())) {
            for (List<String> command : COMMANDS) {
                actual.add(CorralCliRunner.oneShot(corral.connectString(), command));
            }
        }
        for (int i = 0; i < COMMANDS.size(); i++) {
            String what = String.join(" ", COMMANDS.get(i));
            assertThat(actual.get(i).exitCodes()).as(what + ": exit code").isEqualTo(expected.get(i).exitCodes());
            assertThat(actual.get(i).stderr()).as(what + ": stderr").isEqualTo(expected.get(i).stderr());
            assertThat(actual.get(i).stdout()).as(what + ": stdout").isEqualTo(expected.get(i).stdout());
            assertThat(actual.get(i).events()).as(what + ": events").isEqualTo(expected.get(i).events());
        }
        assertThat(expected).extracting(t -> t.exitCodes().get(0)).containsExactly(0, 0, 1, 1, 1, 1, 1, 127, 0, 1);
    }
}
