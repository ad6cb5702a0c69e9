package io.corral.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.corral.client.recipes.LockLease;
import io.corral.client.recipes.Mutex;
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
 * the last one written, a recursive watch sees every create, and a lock ({@link Mutex}) stays held, then passes on.
 *
 * <p>The stopped server is either a follower or the leader. The writer, the watchData subscriber and the lock holder
 * are connected to it, so all three fail over; the recursive watch and the lock contender sit on a server that stays
 * up. When the leader stops, that server too drops its clients while a new leader is elected, so the recursive
 * watch's client also reconnects. A persistent or recursive watch re-registered after a reconnect does not replay
 * the changes made while its client was away (ZooKeeper's semantics, ZK_WIRE.md §7.8), so that client re-reads the
 * children on RECONNECTED, as an application does; the events and the re-reads together must cover every create,
 * and the events alone must do so when its connection never broke. One-shot watches, which watchData uses, are
 * caught up by the server from the client's last zxid.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EnsembleFailoverContract {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int VALUES = 150;

    protected TestEnsemble ensemble;
    private final List<CorralClient> clients = new ArrayList<>();
    /** The member a test stopped (restarted after it), or -1. */
    private int stopped = -1;

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
    void closeClientsAndRestartTheStoppedMember() {
        for (CorralClient c : clients) {
            StepVerifier.create(c.close()).expectComplete().verify(TIMEOUT);
        }
        clients.clear();
        if (stopped >= 0) {
            ensemble.restart(stopped);
            stopped = -1;
            ensemble.awaitServing();
        }
    }

    private CorralClient connect(String connectString) {
        ClientOptions options = ClientOptions.builder().sessionTimeout(Duration.ofSeconds(15))
                .connectionTimeout(Duration.ofSeconds(10)).shuffleHosts(false).build(); // the first is the doomed
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
    void sessionsWatchStreamsAndLocksCarryOnWhenAFollowerStops() {
        ensemble.awaitServing();
        List<Integer> followers = ensemble.followers();
        assertThat(followers).hasSize(2);
        carryOnWhenStopping(followers.get(0), followers.get(1), ensemble.leader(), false);
    }

    @Test
    void sessionsWatchStreamsAndLocksCarryOnWhenTheLeaderStops() {
        ensemble.awaitServing();
        List<Integer> followers = ensemble.followers();
        assertThat(followers).hasSize(2);
        carryOnWhenStopping(ensemble.leader(), followers.get(0), followers.get(1), true);
    }

    /**
     * Stops {@code doomed} mid-stream. The writer, the watcher and the lock holder connect to it first; the
     * observer (recursive watch, lock contender) to {@code survivor}; {@code other} is the third member.
     * {@code leaderStops}: every server drops its clients during the election, so the observer reconnects too.
     */
    private void carryOnWhenStopping(int doomed, int survivor, int other, boolean leaderStops) {
        CorralClient writer = connect(ensemble.connectString(doomed, other, survivor));
        CorralClient watcher = connect(ensemble.connectString(doomed, survivor, other));
        CorralClient observer = connect(ensemble.connectString(survivor, other));
        String root = "/failover-" + System.nanoTime();
        String seq = root + "/seq";
        String tree = root + "/tree";
        String locks = root + "/locks";
        StepVerifier.create(writer.create(root, null).then(writer.create(seq, bytes("0")))
                .then(writer.create(tree, null)).then(writer.create(locks, null)).then()).verifyComplete();
        long writerSession = writer.sessionId();
        long watcherSession = watcher.sessionId();
        long observerSession = observer.sessionId();

        // the lock: held by the watcher's session (on the doomed server), wanted by the observer's
        AtomicReference<LockLease> heldRef = new AtomicReference<>();
        StepVerifier.create(new Mutex(watcher, locks).acquire()).consumeNextWith(heldRef::set).verifyComplete();
        LockLease held = heldRef.get();
        AtomicReference<LockLease> next = new AtomicReference<>();
        StepVerifier contender = StepVerifier.create(new Mutex(observer, locks).acquire().doOnNext(next::set))
                .expectNextCount(1).expectComplete().verifyLater();
        await().atMost(TIMEOUT).until(() -> observer.getChildren(locks).block(TIMEOUT).names().size() == 2);

        // the streams
        Queue<Integer> values = new ConcurrentLinkedQueue<>();
        List<String> created = new CopyOnWriteArrayList<>();
        Set<String> reread = ConcurrentHashMap.newKeySet();
        List<ConnectionState> watcherStates = new CopyOnWriteArrayList<>();
        List<ConnectionState> writerStates = new CopyOnWriteArrayList<>();
        List<ConnectionState> observerStates = new CopyOnWriteArrayList<>();
        Disposable watchStates = watcher.states().subscribe(watcherStates::add);
        Disposable writeStates = writer.states().subscribe(writerStates::add);
        Disposable observeStates = observer.states().subscribe(observerStates::add);
        List<Throwable> streamErrors = new CopyOnWriteArrayList<>();
        Disposable valueStream = watcher.watchData(seq).map(EnsembleFailoverContract::value)
                .subscribe(values::add, streamErrors::add);
        Disposable treeStream = observer.watch(tree, WatchMode.SUBTREE)
                .filter(e -> e.type() == WatchEvent.Type.NODE_CREATED)
                .subscribe(e -> created.add(e.path()), streamErrors::add);
        // RECONNECTED is published once the watches are re-registered, so this read and the events cover it all
        Disposable rereads = observer.states().filter(s -> s == ConnectionState.RECONNECTED)
                .concatMap(s -> observer.getChildren(tree)
                        .retryWhen(ClientRetry.onConnectionLoss(20, Duration.ofMillis(20), Duration.ofMillis(500))))
                .subscribe(kids -> kids.names().forEach(name -> reread.add(tree + "/" + name)), streamErrors::add);
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
        stopped = doomed;
        writes.verify(TIMEOUT);

        // watchData: strictly increasing, ending at the last value written
        await().atMost(TIMEOUT).until(() -> values.contains(VALUES) || !streamErrors.isEmpty());
        assertThat(streamErrors).isEmpty();
        List<Integer> seen = List.copyOf(values);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i)).as("value after %s in %s", seen.get(i - 1), seen).isGreaterThan(seen.get(i - 1));
        }
        assertThat(seen.get(seen.size() - 1)).isEqualTo(VALUES);

        // the recursive watch: each create at most once, and none missed (re-reads fill a reconnection's gap)
        Set<String> expected = IntStream.rangeClosed(1, VALUES).mapToObj(i -> tree + "/c-" + i)
                .collect(Collectors.toSet());
        await().atMost(TIMEOUT).until(() -> union(created, reread).containsAll(expected));
        assertThat(streamErrors).isEmpty();
        assertThat(created).doesNotHaveDuplicates();
        assertThat(union(created, reread)).isEqualTo(expected);
        if (!observerStates.contains(ConnectionState.SUSPENDED)) {
            assertThat(created).hasSize(VALUES).containsExactlyInAnyOrderElementsOf(expected);
        }

        // sessions: same ids, and the two on the stopped server went SUSPENDED -> RECONNECTED
        assertThat(writer.sessionId()).isEqualTo(writerSession);
        assertThat(watcher.sessionId()).isEqualTo(watcherSession);
        assertThat(observer.sessionId()).isEqualTo(observerSession);
        await().atMost(TIMEOUT).until(() -> watcherStates.contains(ConnectionState.RECONNECTED)
                && writerStates.contains(ConnectionState.RECONNECTED));
        assertThat(watcherStates).containsSubsequence(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED)
                .doesNotContain(ConnectionState.EXPIRED);
        assertThat(writerStates).containsSubsequence(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED);
        assertThat(observerStates).doesNotContain(ConnectionState.EXPIRED);
        if (leaderStops) {
            await().atMost(TIMEOUT).until(() -> observerStates.contains(ConnectionState.RECONNECTED));
            assertThat(observerStates).containsSubsequence(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED);
        }

        // the lock: still held by the watcher's session after the failover, then handed over on release
        assertThat(held.isHeld()).as("the lease survives a failover").isTrue();
        StepVerifier.create(observer.exists(held.path()))
                .assertNext(stat -> assertThat(stat.ephemeralOwner()).isEqualTo(watcherSession))
                .verifyComplete();
        StepVerifier.create(observer.getChildren(locks))
                .assertNext(kids -> assertThat(kids.names()).hasSize(2))
                .verifyComplete();
        assertThat(next.get()).as("the contender waits while the lock is held").isNull();
        StepVerifier.create(held.release()).verifyComplete();
        contender.verify(TIMEOUT);
        StepVerifier.create(observer.exists(next.get().path()))
                .assertNext(stat -> assertThat(stat.ephemeralOwner()).isEqualTo(observerSession))
                .verifyComplete();
        StepVerifier.create(next.get().release()).verifyComplete();

        valueStream.dispose();
        treeStream.dispose();
        rereads.dispose();
        watchStates.dispose();
        writeStates.dispose();
        observeStates.dispose();
    }

    private static Set<String> union(List<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
