package io.corral.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.net.LoopbackPorts;
import io.corral.server.compat.CompatHarness;
import io.corral.server.compat.CorralServers;
import io.corral.server.compat.ServerUnderTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code bin/corral-server status zoo.cfg} prints the mode as {@code zkServer.sh status} does. */
class StatusScriptTest {
    private static final Path SCRIPT = Path.of(System.getProperty("user.dir")).resolve("../bin/corral-server")
            .normalize();

    @Test
    void printsTheModeOfTheServerOfTheFile() throws Exception {
        try (ServerUnderTest server = CorralServers.start(Map.of())) {
            String port = server.connectString().split(":")[1];
            String[] result = status("clientPort=" + port + "\nclientPortAddress=127.0.0.1\n");
            assertThat(result[0]).isEqualTo("0");
            assertThat(result[1]).isEqualTo("Mode: standalone\n");
            assertThat(result[2]).contains("Client port found: " + port + ". Client address: 127.0.0.1.");
        }
    }

    @Test
    void saysSoWhenNothingAnswers() throws Exception {
        int closed = LoopbackPorts.reserve(1).get(0);
        String[] result = status("clientPort=" + closed + "\nclientPortAddress=127.0.0.1\n");
        assertThat(result[0]).isEqualTo("1");
        assertThat(result[1]).isEmpty();
        assertThat(result[2]).contains("Error contacting service. It is probably not running.");
    }

    /** Exit status, stdout and stderr of {@code corral-server status} on a file with these contents. */
    private static String[] status(String cfg) throws Exception {
        Path dir = CompatHarness.newTempDir("corral-status-");
        try {
            Path file = dir.resolve("zoo.cfg");
            Files.writeString(file, cfg);
            Process p = new ProcessBuilder("bash", SCRIPT.toString(), "status", file.toString())
                    .redirectError(dir.resolve("stderr").toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return new String[] {Integer.toString(p.exitValue()), out, Files.readString(dir.resolve("stderr"))};
        } finally {
            CompatHarness.deleteRecursively(dir);
        }
    }
}
