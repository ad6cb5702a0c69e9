package io.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.corral.server.compat.CompatHarness;
import io.corral.server.membership.CorralEnsemble;
import io.corral.server.membership.EnsembleFiles;
import io.corral.server.membership.StartedEnsemble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reconfig} on a Corral ensemble with reconfigEnabled (three participants and a spare started with their lines
 * and its own): the same script through ZooKeeper 3.9.5's zkCli and through Corral's shell prints the same, the
 * configuration's version aside (each run commits its own): the spare added and removed again, with and without
 * {@code -s}, added with {@code -file} and removed, and zkCli's refusals (a stale {@code -v}, no super user, no change given, modes mixed, a bad
 * {@code -v}).
 */
class ReconfigCommandOnEnsembleTest {
    @TempDir
    Path dir;

    @Test
    void reconfigPrintsWhatZkCliPrints() throws Exception {
        EnsembleFiles files = new EnsembleFiles(dir, 3, 0, 1, true, null, Map.of("reconfigEnabled", "true",
                "DigestAuthenticationProvider.superDigest", CompatHarness.SUPER_DIGEST));
        try (StartedEnsemble ensemble = CorralEnsemble.start(files)) {
            ensemble.startServer(4);
            ensemble.awaitServing(Duration.ofSeconds(60));
            String spare = "server.4=" + files.servers().get(3).writtenBack(true);
            List<String> refusals = List.of("reconfig -remove 4", "reconfig", "reconfig -members " + spare
                    + " -add " + spare, "reconfig -v xyz -remove 4");
            StringBuilder four = new StringBuilder();
            files.servers().forEach(s -> four.append("server.").append(s.id()).append('=')
                    .append(s.writtenBack(true)).append('\n'));
            Path fourFile = java.nio.file.Files.writeString(dir.resolve("four.cfg"), four);
            List<String> script = List.of("addauth digest " + CompatHarness.SUPER_USER_PASSWORD,
                    "reconfig -v 1 -remove 4", "reconfig -s -add " + spare, "reconfig -remove 4",
                    "reconfig -file " + fourFile, "reconfig -remove 4");
            String server = ensemble.connectString(1);
            Transcript refused = ZkCliRunner.script(server, refusals, 0);
            assertThat(refused.stdout()).doesNotContain("Committed");
            assertThat(CorralCliRunner.script(server, refusals, 0)).isEqualTo(refused);
            Transcript expected = ZkCliRunner.script(server, script, 0);
            assertThat(expected.stdout()).contains("Committed new configuration:\n" + "server.1=")
                    .contains(spare + "\n").contains("dataLength = ");
            assertThat(expected.stdout().split("Committed new configuration:", -1)).hasSize(5); // four commits
            assertThat(expected.exitCodes()).containsExactly(0, 1, 0, 0, 0, 0);
            assertThat(unversioned(CorralCliRunner.script(server, script, 0))).isEqualTo(unversioned(expected));
        }
    }

    @Test
    void reconfigOfAStandaloneServerIsDisabledAsWithZkCli() throws Exception {
        try (var server = io.corral.server.compat.CorralServers.start(Map.of())) {
            List<String> lines = List.of("reconfig -remove 2");
            Transcript expected = ZkCliRunner.script(server.connectString(), lines, 0);
            assertThat(expected.stderr()).contains("Reconfig is disabled");
            assertThat(CorralCliRunner.script(server.connectString(), lines, 0)).isEqualTo(expected);
        }
    }

    /** the transcript with every configuration's version replaced (each run commits its own) */
    private static Transcript unversioned(Transcript t) {
        return new Transcript(t.stdout().replaceAll("version=[0-9a-f]+", "version=V"),
                t.stderr().replaceAll("version=[0-9a-f]+", "version=V"), t.exitCodes(), t.events());
    }
}
