package io.corral.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.client.ConnectionState;
import io.corral.client.CorralClient;
import io.corral.client.KeeperErrorException;
import io.corral.client.ValueDelivery;
import io.corral.client.WatchMode;
import io.corral.protocol.ErrorCode;
import io.corral.server.compat.ServerUnderTest;
import io.corral.server.compat.ZooKeeperServers;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Against Apache ZooKeeper 3.9.5 the extension's opcode is unknown: the stream ends with UNIMPLEMENTED, and the
 * session carries on (ZooKeeper closes the connection; the client reconnects with the same session).
 */
class ResumableStreamOnZooKeeperTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aZooKeeperServerAnswersUnimplementedAndTheSessionSurvives() {
        try (ServerUnderTest zookeeper = ZooKeeperServers.start(Map.of())) {
            CorralClient client = CorralClient.connect(zookeeper.connectString()).block(WAIT);
            long session = client.sessionId();
            StepVerifier.create(client.watch("/", WatchMode.SUBTREE, CorralClient.NOW))
                    .expectErrorSatisfies(e -> assertThat(KeeperErrorException.hasCode(e, ErrorCode.UNIMPLEMENTED))
                            .as("%s", e).isTrue())
                    .verify(WAIT);
            // a read sent while ZooKeeper closes the connection is lost with it; sent again, it reaches the session
            assertThat(client.exists("/zookeeper").retryWhen(Retry.max(10).filter(e -> KeeperErrorException.hasCode(e,
                    ErrorCode.CONNECTION_LOSS))).block(WAIT)).isNotNull();
            assertThat(client.sessionId()).isEqualTo(session);
            client.close().block(WAIT);
        }
    }

    /**
     * watchData with EVERY falls back to ordinary watches on ZooKeeper, which offers no streams in its handshake: the
     * client never sends it the extension's opcode, so the connection is never dropped for it.
     */
    @Test
    void everyValueFallsBackToOrdinaryWatchesWithoutLosingTheConnection() {
        try (ServerUnderTest zookeeper = ZooKeeperServers.start(Map.of())) {
            CorralClient client = CorralClient.connect(zookeeper.connectString()).block(WAIT);
            client.create("/every", CorralClient.utf8("1")).block(WAIT);
            List<ConnectionState> states = new CopyOnWriteArrayList<>();
            Disposable watching = client.states().subscribe(states::add);
            StepVerifier.create(client.watchData("/every", ValueDelivery.EVERY).map(v -> new String(v.data())))
                    .expectNext("1")
                    .then(() -> client.setData("/every", CorralClient.utf8("2")).block(WAIT))
                    .expectNext("2")
                    .thenCancel()
                    .verify(WAIT);
            assertThat(client.exists("/every").block(WAIT)).isNotNull();
            assertThat(states).containsOnly(ConnectionState.CONNECTED);
            watching.dispose();
            client.close().block(WAIT);
        }
    }
}
