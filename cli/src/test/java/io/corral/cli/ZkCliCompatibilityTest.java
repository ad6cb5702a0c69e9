package io.corral.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.corral.client.ZooKeeperTestServer;
import io.corral.server.compat.CorralServers;
import io.corral.server.compat.ServerUnderTest;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each script of {@code scripts/} typed into Apache ZooKeeper 3.9.5's zkCli against Apache ZooKeeper and into
 * Corral's shell against Corral: the exit code of every line, stdout, stderr and the watch events must be the same,
 * but for what {@link Transcript} normalises (addresses, times, zxids, session ids).
 */
class ZkCliCompatibilityTest {
    private static final List<String> SCRIPTS = List.of("crud", "modes", "acl", "watches", "session", "config");

    @TestFactory
    Stream<DynamicTest> scriptsPrintWhatZkCliPrints() {
        return SCRIPTS.stream().map(name -> DynamicTest.dynamicTest(name, () -> compare(name)));
    }

    private static void compare(String name) throws Exception {
        Script script = Script.load(name);
        Transcript expected;
        try (ZooKeeperTestServer zk = ZooKeeperTestServer.start(Map.of())) {
            expected = ZkCliRunner.script(zk.connectString(), script.lines, script.events);
        }
        Transcript actual;
        try (ServerUnderTest corral = CorralServers.start(Map.of())) {
            actual = CorralCliRunner.script(corral.connectString(), script.lines, script.events);
        }
        assertThat(expected.events()).as("zkCli events (check the script event count): " + expected.events()).hasSize(script.events);
        assertThat(actual.stderr()).as(name + ": stderr").isEqualTo(expected.stderr());
        assertThat(actual.stdout()).as(name + ": stdout").isEqualTo(expected.stdout());
        if (script.unordered) {
            assertThat(actual.events()).as(name + ": watch events").containsExactlyInAnyOrderElementsOf(
                    expected.events());
        } else {
            assertThat(actual.events()).as(name + ": watch events").isEqualTo(expected.events());
        }
        assertThat(numbered(script.lines, actual.exitCodes())).as(name + ": exit codes")
                .isEqualTo(numbered(script.lines, expected.exitCodes()));
    }

    private static List<String> numbered(List<String> lines, List<Integer> codes) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            out.add(codes.get(i) + " <- " + lines.get(i));
        }
        return out;
    }

    /**
     * A script: the lines to type (comments and blank lines left out), how many watch events it prints, and whether
     * their order is up to chance ({@code # unordered}).
     */
    private record Script(List<String> lines, int events, boolean unordered) {
        static Script load(String name) throws IOException {
            try (InputStream in = ZkCliCompatibilityTest.class.getResourceAsStream("/scripts/" + name + ".zkcli")) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                List<String> lines = new ArrayList<>();
                int events = 0;
                boolean unordered = false;
                for (String line : text.split("\n")) {
                    if (line.startsWith("# events:")) {
                        events = Integer.parseInt(line.substring("# events:".length()).trim());
                    } else if (line.startsWith("# unordered")) {
                        unordered = true;
                    } else if (!line.isBlank() && !line.startsWith("#")) {
                        lines.add(line);
                    }
                }
                return new Script(lines, events, unordered);
            }
        }
    }
}
