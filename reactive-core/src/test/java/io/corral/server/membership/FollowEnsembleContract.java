package io.corral.server.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.client.ClientOptions;
import io.corral.client.ConnectionState;
import io.corral.client.CorralClient;
import io.corral.client.KeeperErrorException;
import io.corral.protocol.ErrorCode;
import io.corral.server.childjvm.FourLetterWordClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Corral's client with {@link ClientOptions.Builder#followEnsembleConfig}, on ZooKeeper 3.9.5 and on Corral
 * ({@link FollowEnsembleOnZooKeeperTest}, {@link FollowEnsembleOnCorralTest}): clients given the three members of an
 * ensemble learn the two servers a reconfig adds and some of them move there, then the clients of a server a reconfig
 * removes leave it before it is stopped. Every client writes all along: sessions are kept and no request fails (but
 * on a server that stops serving as it is removed, see {@link #removedServerServesUntilStopped()}).
 */
abstract class FollowEnsembleContract {
    private static final Duration SERVING = Duration.ofSeconds(90);
    private static final Duration MOVED = Duration.ofSeconds(30);
    /** Each client moves to an added server with probability 2/5: none of 20 does with probability 0.6^20 < 1e-4. */
    private static final int CLIENTS = 20;

    @TempDir
    Path dir;
    private final Set<Long> ours = ConcurrentHashMap.newKeySet();

    abstract StartedEnsemble start(EnsembleFiles files);

    /**
     * Whether a server a reconfig removed goes on serving its clients until it is stopped (ZooKeeper's does: they
     * leave it by rebalancing, with no request lost). Corral's stops serving as it applies the change (see
     * {@link ReconfigContract#modeOfARemovedServer()}): its clients fail over, and a request in flight there then
     * fails with CONNECTIONLOSS.
     */
    abstract boolean removedServerServesUntilStopped();

    @Test
    void clientsSpreadToAddedServersAndLeaveARemovedOneKeepingTheirSessions() throws Exception {
        EnsembleFiles files = new EnsembleFiles(dir, 3, 0, 2, true, null, ReconfigContract.RECONFIG);
        List<CorralClient> clients = new ArrayList<>();
        Disposable.Composite load = Disposables.composite();
        try (StartedEnsemble ensemble = start(files)) {
            ensemble.awaitServing(SERVING);
            // the spares sync without a vote until the reconfig adds them
            ensemble.startServer(4);
            ensemble.startServer(5);
            ensemble.awaitServing(SERVING);
            List<EnsembleFiles.Server> servers = files.servers();
            String firstThree = servers.subList(0, 3).stream().map(s -> "127.0.0.1:" + s.clientPort())
                    .collect(Collectors.joining(","));
            ClientOptions options = ClientOptions.builder().sessionTimeout(Duration.ofSeconds(15))
                    .connectionTimeout(Duration.ofSeconds(15)).followEnsembleConfig(true).build();
            Map<CorralClient, Long> sessions = new HashMap<>();
            Queue<Throwable> growing = new ConcurrentLinkedQueue<>();
            Queue<Throwable> shrinking = new ConcurrentLinkedQueue<>();
            AtomicReference<Queue<Throwable>> failures = new AtomicReference<>(growing);
            Queue<ConnectionState> states = new ConcurrentLinkedQueue<>();
            AtomicLong written = new AtomicLong();
            for (int i = 0; i < CLIENTS; i++) {
                CorralClient c = CorralClient.connect(firstThree, options).block(MOVED);
                clients.add(c);
                sessions.put(c, c.sessionId());
                ours.add(c.sessionId());
                String node = "/follow-" + i;
                c.create(node, new byte[0]).block(MOVED);
                load.add(c.states().subscribe(states::add));
                // one write after another, all along; any failure is recorded
                load.add(Flux.interval(Duration.ofMillis(100)).onBackpressureDrop()
                        .concatMap(tick -> c.setData(node, CorralClient.utf8(Long.toString(tick)))
                                .doOnNext(stat -> written.incrementAndGet()).then()
                                .onErrorResume(e -> {
                                    failures.get().add(e);
                                    return Mono.empty();
                                }))
                        .subscribe());
            }
            assertThat(clientsOn(servers.get(3)).size() + clientsOn(servers.get(4)).size()).isZero();

            try (ZooKeeperAdmin admin = ReconfigContract.admin(ensemble.connectString(1))) {
                admin.reconfigure(ReconfigContract.line(servers.get(3)) + "," + ReconfigContract.line(servers.get(4)),
                        null, null, -1, new Stat());
                // some clients move to the added servers (each with probability 1 - 3/5)
                await().atMost(MOVED).pollInterval(Duration.ofMillis(100)).until(() ->
                        clientsOn(servers.get(3)).size() + clientsOn(servers.get(4)).size() > 0);

                // the added server with more of our clients leaves again; they move away before it stops
                EnsembleFiles.Server leaving = clientsOn(servers.get(3)).size() >= clientsOn(servers.get(4)).size()
                        ? servers.get(3) : servers.get(4);
                List<Long> hadClients = clientsOn(leaving);
                failures.set(shrinking);
                admin.reconfigure(null, Long.toString(leaving.id()), null, -1, new Stat());
                await().atMost(MOVED).pollInterval(Duration.ofMillis(100)).until(() -> clientsOn(leaving).isEmpty());
                ensemble.stopServer(leaving.id());
                // each of its clients is on one of the members left
                for (long session : hadClients) {
                    await().atMost(MOVED).pollInterval(Duration.ofMillis(100)).until(() -> servers.stream()
                            .filter(s -> s != leaving && clientsOn(s).contains(session)).count() == 1);
                }
            }
            long before = written.get();
            await().atMost(MOVED).until(() -> written.get() > before + CLIENTS); // the writes go on
            load.dispose();
            assertThat(growing).as("requests failed while servers were added").isEmpty();
            if (removedServerServesUntilStopped()) {
                assertThat(shrinking).as("requests failed while a server was removed").isEmpty();
            } else {
                assertThat(shrinking).allSatisfy(e -> assertThat(KeeperErrorException.hasCode(e,
                        ErrorCode.CONNECTION_LOSS)).as("%s", e).isTrue());
            }
            assertThat(states).doesNotContain(ConnectionState.EXPIRED, ConnectionState.CLOSED);
            for (CorralClient c : clients) {
                assertThat(c.sessionId()).isEqualTo(sessions.get(c));
                assertThat(c.state().isConnected()).isTrue();
            }
        } finally {
            load.dispose();
            for (CorralClient c : clients) {
                c.close().block(MOVED);
            }
        }
    }

    /** Our sessions the server lists in {@code cons} (none when it does not answer). */
    private List<Long> clientsOn(EnsembleFiles.Server server) {
        String cons = FourLetterWordClient.ask(server.clientPort(), "cons", Duration.ofSeconds(5));
        List<Long> sessions = new ArrayList<>();
        if (cons == null) {
            return sessions;
        }
        for (String line : cons.split("\n")) {
            int at = line.indexOf("sid=0x");
            if (at >= 0) {
                int end = line.indexOf(',', at);
                String hex = line.substring(at + "sid=0x".length(), end < 0 ? line.length() : end).trim();
                long session = Long.parseUnsignedLong(hex.replace(")", ""), 16);
                if (ours.contains(session)) {
                    sessions.add(session);
                }
            }
        }
        return sessions;
    }
}
