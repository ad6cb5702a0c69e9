package io.corral.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.corral.protocol.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The client against a three-server ensemble from which one server is stopped while work is under way: sessions
 * survive (same id, ephemerals kept), a watchData stream sees a strictly increasing sequence of values that ends at
 * the last one written, a recursive watch sees every create, and a held lock stays held, then passes on.
 *
 * <p>The stopped server is a follower that the writer, the watchData subscriber and the lock holder are connected
 * to, so all three fail over; the recursive watch and the lock contender sit on a server that stays up. (A
 * persistent or recursive watch re-registered after a reconnect does not replay the changes made while its client
 * was away: ZooKeeper's semantics, ZK_WIRE.md §7.8. One-shot watches, which watchData uses, are caught up by the
 * server from the client's last zxid.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EnsembleFailoverContract {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int VALUES = 150;

    protected TestEnsemble ensemble;
    private final List<CorralClient> clients = new ArrayList<>();

    /** Starts a {@code size}-member ensemble and returns once it serves. */
    protected abstract TestEnsemble startEnsemble(int size);

    @BeforeAll
    void startTheEnsemble() {
        StepVerifier.setDefaultTimeout(TIMEOUT);
        ensemble = startEnsemble(3);
    }

    @AfterAll
    void stopTheEnsemble() {
        if (ensemble != null) {
            ensemble.close();
        }
    }

    @AfterEach
    void closeClients() {
        for (CorralClient c : clients) {
            StepVerifier.create(c.close()).expectComplete().verify(TIMEOUT);
        }
        clients.clear();
    }

    private CorralClient connect(String connectString) {
        ClientOptions options = ClientOptions.builder().sessionTimeout(Duration.ofSeconds(15))
                .connectionTimeout(Duration.ofSeconds(10)).build();
        CorralClient c = CorralClient.connect(connectString, options).block(TIMEOUT);
        clients.add(c);
        return c;
    }

    private static byte[] bytes(String s) {
        return CorralClient.utf8(s);
    }

    private static int value(NodeValue v) {
        return Integer.parseInt(new String(v.data(), java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code i} to the node with version {@code i - 1}, so a retry after CONNECTIONLOSS cannot write twice:
     * BADVERSION on a retry means the lost attempt was applied, which a read confirms.
     */
    private static Mono<Void> writeValue(CorralClient c, String path, int i) {
        AtomicInteger attempts = new AtomicInteger();
        return Mono.defer(() -> {
                    attempts.incrementAndGet();
                    return c.setData(path, bytes(Integer.toString(i)), i - 1);
                })
                .retryWhen(ClientRetry.onConnectionLoss(20, Duration.ofMillis(20), Duration.ofMillis(500)))
                .then()
                .onErrorResume(e -> attempts.get() > 1 && KeeperErrorException.hasCode(e, ErrorCode.BAD_VERSION),
                        e -> c.getData(path).flatMap(d -> Integer.toString(i).equals(
                                new String(d.data(), java.nio.charset.StandardCharsets.UTF_8))
                                ? Mono.<Void>empty() : Mono.error(e)));
    }

    /** Creates the child; NODEEXISTS on a retry means the lost attempt was applied. */
    private static Mono<Void> createChild(CorralClient c, String path) {
        AtomicInteger attempts = new AtomicInteger();
        return Mono.defer(() -> {
                    attempts.incrementAndGet();
                    return c.create(path, null);
                })
                .retryWhen(ClientRetry.onConnectionLoss(20, Duration.ofMillis(20), Duration.ofMillis(500)))
                .then()
                .onErrorResume(e -> attempts.get() > 1 && KeeperErrorException.hasCode(e, ErrorCode.NODE_EXISTS),
                        e -> Mono.empty());
    }

    @Test
    void sessionsWatchStreamsAndLocksCarryOnWhenAServerStops() {
        ensemble.awaitServing();
        int leader = ensemble.leader();
        List<Integer> followers = ensemble.followers();
        assertThat(followers).hasSize(2);
        int doomed = followers.get(0);
        int survivor = followers.get(1);

        // the doomed server first in the connect strings of the clients that must fail over
        CorralClient writer = connect(ensemble.connectString(doomed, leader, survivor));
        CorralClient watcher = connect(ensemble.connectString(doomed, survivor, leader));
        CorralClient observer = connect(ensemble.connectString(survivor, leader));
        String root = "/failover-" + System.nanoTime();
        String seq = root + "/seq";
        String tree = root + "/tree";
        String locks = root + "/locks";
        StepVerifier.create(writer.create(root, null).then(writer.create(seq, bytes("0")))
                .then(writer.create(tree, null)).then(writer.create(locks, null)).then()).verifyComplete();
        long writerSession = writer.sessionId();
        long watcherSession = watcher.sessionId();

        // the lock: held by the watcher's session (on the doomed server), wanted by the observer's
        TestLock held = new TestLock(watcher, locks);
        StepVerifier.create(held.acquire()).verifyComplete();
        TestLock wanted = new TestLock(observer, locks);
        StepVerifier contender = StepVerifier.create(wanted.acquire()).expectComplete().verifyLater();

        // the streams
        Queue<Integer> values = new ConcurrentLinkedQueue<>();
        List<String> created = new CopyOnWriteArrayList<>();
        List<ConnectionState> watcherStates = new CopyOnWriteArrayList<>();
        List<ConnectionState> writerStates = new CopyOnWriteArrayList<>();
        Disposable watchStates = watcher.states().subscribe(watcherStates::add);
        Disposable writeStates = writer.states().subscribe(writerStates::add);
        List<Throwable> streamErrors = new CopyOnWriteArrayList<>();
        Disposable valueStream = watcher.watchData(seq).map(EnsembleFailoverContract::value)
                .subscribe(values::add, streamErrors::add);
        Disposable treeStream = observer.watch(tree, WatchMode.SUBTREE)
                .filter(e -> e.type() == WatchEvent.Type.NODE_CREATED)
                .subscribe(e -> created.add(e.path()), streamErrors::add);
        StepVerifier.create(observer.sync("/").then(watcher.sync("/"))).verifyComplete(); // both watches are set
        await().atMost(TIMEOUT).until(() -> values.contains(0));

        // the writer: value i, then child c-i, one after the other, retrying across the failover
        AtomicInteger written = new AtomicInteger();
        StepVerifier writes = StepVerifier.create(Flux.range(1, VALUES)
                        .concatMap(i -> writeValue(writer, seq, i).then(createChild(writer, tree + "/c-" + i))
                                .doOnSuccess(v -> written.set(i)))
                        .then())
                .expectComplete()
                .verifyLater();

        await().atMost(TIMEOUT).until(() -> written.get() >= VALUES / 3);
        ensemble.stop(doomed); // mid-stream
        writes.verify(TIMEOUT);

        // watchData: strictly increasing, ending at the last value written
        await().atMost(TIMEOUT).until(() -> values.contains(VALUES) || !streamErrors.isEmpty());
        assertThat(streamErrors).isEmpty();
        List<Integer> seen = List.copyOf(values);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i)).as("value after %s in %s", seen.get(i - 1), seen).isGreaterThan(seen.get(i - 1));
        }
        assertThat(seen.get(seen.size() - 1)).isEqualTo(VALUES);

        // the recursive watch: every create, once
        Set<String> expected = IntStream.rangeClosed(1, VALUES).mapToObj(i -> tree + "/c-" + i)
                .collect(Collectors.toSet());
        await().atMost(TIMEOUT).until(() -> created.size() >= VALUES);
        assertThat(created).hasSize(VALUES).containsExactlyInAnyOrderElementsOf(expected);

        // sessions: same ids, and the two on the stopped server went SUSPENDED -> RECONNECTED
        assertThat(writer.sessionId()).isEqualTo(writerSession);
        assertThat(watcher.sessionId()).isEqualTo(watcherSession);
        await().atMost(TIMEOUT).until(() -> watcherStates.contains(ConnectionState.RECONNECTED)
                && writerStates.contains(ConnectionState.RECONNECTED));
        assertThat(watcherStates).containsSubsequence(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED)
                .doesNotContain(ConnectionState.EXPIRED);
        assertThat(writerStates).containsSubsequence(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED);

        // the lock: still held by the watcher's session after the failover, then handed over on release
        StepVerifier.create(observer.exists(held.node()))
                .assertNext(stat -> assertThat(stat.ephemeralOwner()).isEqualTo(watcherSession))
                .verifyComplete();
        StepVerifier.create(observer.getChildren(locks))
                .assertNext(kids -> assertThat(kids.names()).hasSize(2))
                .verifyComplete();
        StepVerifier.create(held.release()).verifyComplete();
        contender.verify(TIMEOUT);

        valueStream.dispose();
        treeStream.dispose();
        watchStates.dispose();
        writeStates.dispose();
        ensemble.restart(doomed);
        ensemble.awaitServing();
    }
}
