package io.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.client.CorralClient;
import io.corral.server.compat.CorralServers;
import io.corral.server.compat.ServerUnderTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code watch}, Corral's own command: history after a zxid, the subtree with -R, COUNT with -n. */
class WatchCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void printsOneLinePerChangeInZxidOrderAndStopsAfterCount() {
        try (ServerUnderTest corral = CorralServers.start(Map.of())) {
            CorralClient client = CorralClient.connect(corral.connectString()).block(WAIT);
            long start = client.create("/w", new byte[0]).block(WAIT).stat().czxid();
            long created = client.create("/w/a", new byte[0]).block(WAIT).stat().czxid();
            long set = client.setData("/w/a", new byte[] {1}).block(WAIT).mzxid();
            client.setData("/w", new byte[] {1}).block(WAIT);
            client.close().block(WAIT);

            Transcript subtree = CorralCliRunner.oneShot(corral.connectString(),
                    List.of("watch", "-R", "-z", "0x" + Long.toHexString(start), "-n", "3", "/w"));
            assertThat(subtree.stdout()).contains(String.join(System.lineSeparator(),
                    "0x" + Long.toHexString(created) + " NodeCreated /w/a",
                    "0x" + Long.toHexString(created) + " NodeChildrenChanged /w",
                    "0x" + Long.toHexString(set) + " NodeDataChanged /w/a"));
            assertThat(subtree.exitCodes()).containsExactly(0);

            Transcript node = CorralCliRunner.oneShot(corral.connectString(),
                    List.of("watch", "-z", Long.toString(created), "-n", "1", "/w"));
            assertThat(node.stdout()).contains("NodeDataChanged /w").doesNotContain("/w/a");

            Transcript bad = CorralCliRunner.oneShot(corral.connectString(), List.of("watch", "-z", "nope", "/w"));
            assertThat(bad.stderr()).contains("-z argument must be a zxid");
        }
    }
}
