package io.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.corral.server.compat.CorralServers;
import io.corral.server.compat.ServerUnderTest;
import io.corral.server.ensemble.InProcessEnsemble;

/** {@code transferleader}, Corral's own command, against an ensemble of three in this JVM and a standalone server. */
class TransferLeaderCommandTest {
    private static final Duration SERVING_WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void theLeaderHandsOverAndANamedServerTakesOver() {
        try (InProcessEnsemble ensemble = new InProcessEnsemble(dir, 3, 0, Map.of())) {
            ensemble.startAll();
            long leader = ensemble.awaitServing(SERVING_WITHIN);

            Transcript fromLeader = CorralCliRunner.oneShot(ensemble.connectString(), List.of("transferleader"));
            assertThat(fromLeader.stdout()).contains(ensemble.connectString(leader)
                    + ": Handing leadership over to server ");
            long next = ensemble.awaitServing(SERVING_WITHIN);
            assertThat(next).isNotEqualTo(leader);
            assertThat(fromLeader.stdout()).contains("Leader is now " + ensemble.connectString(next));
            assertThat(fromLeader.exitCodes()).containsExactly(0);

            long named = ensemble.ids().stream().filter(id -> id != next).findFirst().orElseThrow();
            Transcript toNamed = CorralCliRunner.oneShot(ensemble.connectString(),
                    List.of("transferleader", ensemble.connectString(named)));
            assertThat(toNamed.stdout())
                    .contains(ensemble.connectString(named) + ": Asked the leader to hand leadership over to this server")
                    .contains("Leader is now " + ensemble.connectString(named));
            assertThat(ensemble.awaitServing(SERVING_WITHIN)).isEqualTo(named);
        }
    }

    @Test
    void aStandaloneServerHasNoLeadershipToHandOver() {
        try (ServerUnderTest corral = CorralServers.start(Map.of("4lw.commands.whitelist", "*"))) {
            Transcript t = CorralCliRunner.oneShot(corral.connectString(), List.of("transferleader"));
            assertThat(t.stderr()).contains("No server of <server> is the leader");
            assertThat(t.exitCodes()).doesNotContain(0);
        }
    }
}
