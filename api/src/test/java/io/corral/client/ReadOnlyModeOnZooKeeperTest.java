package io.corral.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.corral.protocol.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/**
 * Read-only mode against Apache ZooKeeper 3.9.5 (readonlymode.enabled=true, set for the test JVM): one member of a
 * three-server ensemble is left alone, loses its quorum and serves reads only. Corral's server never offers
 * read-only mode, so this runs against ZooKeeper only. The ensemble enables local sessions, without which a
 * read-only ZooKeeper 3.9 server cannot start a session at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadOnlyModeOnZooKeeperTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ZooKeeperTestEnsemble ensemble;
    private final List<CorralClient> clients = new ArrayList<>();
    private final List<AutoCloseable> servers = new ArrayList<>();

    @BeforeAll
    void start() {
        assertThat(Boolean.getBoolean("readonlymode.enabled")).as("readonlymode.enabled in the test JVM").isTrue();
        StepVerifier.setDefaultTimeout(TIMEOUT);
        // a read-only ZooKeeper 3.9 server creates local sessions only: with localSessionsEnabled=false (the
        // default) it answers a new session's createSession with NOTREADONLY in place of a ConnectResponse
        ensemble = ZooKeeperTestEnsemble.start(3, 200, java.util.Map.of("localSessionsEnabled", "true",
                "localSessionsUpgradingEnabled", "true"));
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
        ensemble.close();
    }

    @AfterEach
    void closeClients() {
        for (CorralClient c : clients) {
            StepVerifier.create(c.close()).expectComplete().verify(TIMEOUT);
        }
        clients.clear();
    }

    private static ClientOptions.Builder options() {
        return ClientOptions.builder().sessionTimeout(Duration.ofSeconds(15)).connectionTimeout(Duration.ofSeconds(10));
    }

    private CorralClient connect(String connectString, ClientOptions options) {
        CorralClient c = CorralClient.connect(connectString, options).block(TIMEOUT);
        clients.add(c);
        return c;
    }

    /** A four-letter word's answer (plain socket, on the test thread). */
    private static String fourLetterWord(String hostPort, String word) {
        String[] hp = hostPort.split(":");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 2000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "unreachable: " + e;
        }
    }

    private static void expectCode(reactor.core.publisher.Mono<?> mono, int code) {
        StepVerifier.create(mono)
                .expectErrorSatisfies(e -> assertThat(KeeperErrorException.hasCode(e, code)).as("%s", e).isTrue())
                .verify(TIMEOUT);
    }

    @Test
    void aReadOnlyServerServesReadsRefusesWritesAndTheClientMovesOnToAReadWriteServer() {
        String node = "/ro-" + System.nanoTime();
        CorralClient setup = connect(ensemble.connectString(0, 1, 2), options().build());
        StepVerifier.create(setup.create(node, CorralClient.utf8("v")).then()).verifyComplete();
        StepVerifier.create(setup.close()).verifyComplete();
        clients.remove(setup);

        // leave one member alone: it loses its quorum and, after a couple of seconds, serves read-only
        int alone = ensemble.followers().get(0);
        List<Integer> others = new ArrayList<>(List.of(0, 1, 2));
        others.remove(Integer.valueOf(alone));
        others.forEach(ensemble::stop);
        String aloneAddress = ensemble.connectString(alone);
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> fourLetterWord(aloneAddress, "isro").equals("ro"));

        // a client that does not accept read-only servers is refused
        StepVerifier.create(CorralClient.connect(aloneAddress, options().connectionTimeout(Duration.ofSeconds(2))
                        .build()))
                .expectErrorSatisfies(e -> assertThat(KeeperErrorException.hasCode(e, ErrorCode.CONNECTION_LOSS))
                        .as("%s", e).isTrue())
                .verify(TIMEOUT);

        // one that does: reads work, writes fail with NOTREADONLY
        CorralClient reader = connect(aloneAddress, options().canBeReadOnly(true).build());
        assertThat(reader.state()).isEqualTo(ConnectionState.CONNECTED_READ_ONLY);
        assertThat(reader.state().isConnected()).isTrue();
        StepVerifier.create(reader.getData(node))
                .assertNext(d -> assertThat(new String(d.data(), StandardCharsets.UTF_8)).isEqualTo("v"))
                .verifyComplete();
        expectCode(reader.setData(node, CorralClient.utf8("w")), ErrorCode.NOT_READONLY);
        expectCode(reader.create(node + "/child", null), ErrorCode.NOT_READONLY);
        expectCode(reader.delete(node), ErrorCode.NOT_READONLY);

        // with a read-write server further down its connect string, the client probes it (isro) and moves there
        ZooKeeperTestServer readWrite = ZooKeeperTestServer.start(java.util.Map.of());
        servers.add(readWrite);
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        List<CorralClient> mover = new CopyOnWriteArrayList<>();
        Disposable recording = CorralClient.connect(aloneAddress + "," + readWrite.connectString(),
                        options().canBeReadOnly(true).shuffleHosts(false).build()) // the read-only one first
                .doOnNext(mover::add)
                .flatMapMany(CorralClient::states) // subscribed as the session starts: no state missed
                .subscribe(states::add);
        await().atMost(TIMEOUT).until(() -> states.contains(ConnectionState.RECONNECTED));
        recording.dispose();
        CorralClient moved = mover.get(0);
        clients.add(moved);
        assertThat(states).containsExactly(ConnectionState.CONNECTED_READ_ONLY, ConnectionState.SUSPENDED,
                ConnectionState.RECONNECTED);
        StepVerifier.create(moved.create("/moved", null).then()).verifyComplete(); // writes work now

        // the ensemble gets its quorum back: the read-only client ends up on a read-write server with a session
        // the quorum knows (a read-only server's session is not offered to it)
        long readOnlySession = reader.sessionId();
        others.forEach(ensemble::restart);
        ensemble.awaitServing();
        await().atMost(TIMEOUT).until(() -> reader.state() == ConnectionState.RECONNECTED);
        assertThat(reader.sessionId()).isNotEqualTo(readOnlySession);
        StepVerifier.create(reader.setData(node, CorralClient.utf8("w")).then()).verifyComplete();
        StepVerifier.create(reader.create(node + "/eph", null, io.corral.protocol.CreateMode.EPHEMERAL)
                .map(c -> c.stat().ephemeralOwner()))
                .expectNext(reader.sessionId())
                .verifyComplete();
    }
}
