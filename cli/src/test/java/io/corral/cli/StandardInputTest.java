package io.corral.cli;

import java.util.List;
import java.util.Map;

import io.corral.server.compat.CorralServers;
import io.corral.server.compat.ServerUnderTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Without a command and without a terminal, the shell reads its commands from standard input. */
class StandardInputTest {

    @Test
    void readsCommandsLineByLineUntilQuitAndExitsWithTheLastCode() {
        try (ServerUnderTest corral = CorralServers.start(Map.of())) {
            Transcript t = CorralCliRunner.run(List.of("-server", corral.connectString()),
                    "create /in 1\n\nget /in\nget /missing\nquit\nget /in\n", corral.connectString());
            assertThat(t.stdout()).isEqualTo("Connecting to <server>\nWelcome to Corral!\n1\n");
            assertThat(t.stderr()).isEqualTo("Created /in\nNode does not exist: /missing\n");
            assertThat(t.exitCodes()).containsExactly(0); // quit succeeded; the line after it never ran
            assertThat(t.events()).containsExactly(
                    "WatchedEvent state:SyncConnected type:None path:null zxid: -1",
                    "WatchedEvent state:Closed type:None path:null zxid: -1");
        }
    }

    @Test
    void endOfInputEndsTheShellWithTheLastCommandsCode() {
        try (ServerUnderTest corral = CorralServers.start(Map.of())) {
            Transcript t = CorralCliRunner.run(List.of("-server", corral.connectString()), "get /missing\n",
                    corral.connectString());
            assertThat(t.exitCodes()).containsExactly(1);
        }
    }

    @Test
    void anUnreachableServerIsAnErrorForAOneShotCommand() {
        Transcript t = CorralCliRunner.run(List.of("-server", "127.0.0.1:1", "-timeout", "1000", "ls", "/"), "",
                "127.0.0.1:1");
        assertThat(t.exitCodes()).containsExactly(1);
        assertThat(t.stderr()).startsWith("Unable to connect to <server>");
    }
}
