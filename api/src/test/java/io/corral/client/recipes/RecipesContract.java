package io.corral.client.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import io.corral.client.AbstractClientContract;
import io.corral.client.ConnectionState;
import io.corral.client.CorralClient;
import io.corral.client.SessionKiller;
import io.corral.client.TcpProxy;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * The recipes against a server: each recipe's semantics, the lock and election under contention (a shared count of
 * holders must never exceed one), and cleanup (no recipe node left after cancel). Implemented once for Apache
 * ZooKeeper and once for Corral.
 */
public abstract class RecipesContract extends AbstractClientContract {
    private static final Duration LONG = Duration.ofSeconds(60); // a hang guard for the contention tests
    /** Long enough for a wrongly released waiter to show up, short enough to keep the suite fast. */
    private static final Duration QUIET = Duration.ofMillis(300);

    /** Emits into a test sink from any client's thread (emissions must not overlap). */
    private static <T> void emit(Sinks.Many<T> sink, T value) {
        synchronized (sink) {
            sink.emitNext(value, Sinks.EmitFailureHandler.FAIL_FAST);
        }
    }

    private List<CorralClient> clients(int n) {
        List<CorralClient> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(connect());
        }
        return out;
    }

    private static List<String> children(CorralClient client, String path) {
        return await(client.getChildren(path).map(c -> c.names())
                .onErrorResume(e -> e instanceof io.corral.client.KeeperErrorException k
                        && k.code() == io.corral.protocol.ErrorCode.NO_NODE, e -> Mono.just(List.of())));
    }

    /** Waits until {@code path} has exactly {@code count} children (creates and cleanups land asynchronously). */
    private static void awaitChildCount(CorralClient client, String path, int count) {
        StepVerifier.create(client.watchChildren(path).filter(c -> c.names().size() == count).next())
                .expectNextCount(1).verifyComplete();
    }

    /** Waits until {@code path} has no children left (cleanup runs after a cancel, asynchronously). */
    private static void awaitNoChildren(CorralClient client, String path) {
        awaitChildCount(client, path, 0);
    }

    /** The first value of {@code read}, read again every 20 ms, that passes {@code test}. */
    private static <T> Mono<T> eventually(Mono<T> read, java.util.function.Predicate<T> test) {
        return read.repeatWhen(again -> again.delayElements(Duration.ofMillis(20))).filter(test).next();
    }

    // ================= mutex =================

    @Test
    void mutexUnderContentionNeverHasTwoHolders() {
        String path = root("mutex") + "/lock";
        int clients = 8;
        int rounds = 100;
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger maxHolders = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        List<CorralClient> cs = clients(clients);
        Flux<Integer> all = Flux.fromIterable(cs).flatMap(c -> {
            Mutex mutex = new Mutex(c, path);
            return Flux.range(0, rounds).concatMap(i -> mutex.withLock(lease -> {
                maxHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
                // a round trip inside the critical section, so that an overlap has time to show
                return c.exists(lease.path()).doOnNext(stat -> {
                    holders.decrementAndGet();
                    done.incrementAndGet();
                }).thenReturn(i);
            }));
        });
        StepVerifier.create(all).expectNextCount(clients * rounds).expectComplete().verify(LONG);
        assertThat(maxHolders.get()).isEqualTo(1);
        assertThat(done.get()).isEqualTo(clients * rounds);
        assertThat(children(cs.get(0), path)).isEmpty();
    }

    @Test
    void mutexIsGrantedInQueueOrderAndCancelledWaitersLeaveTheQueue() {
        String path = root("mutex-order") + "/lock";
        List<CorralClient> cs = clients(4);
        LockLease first = await(new Mutex(cs.get(0), path).acquire());
        assertThat(first.isHeld()).isTrue();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        List<Disposable> waiting = new ArrayList<>();
        Sinks.Many<LockLease> granted = Sinks.many().replay().all();
        for (int i = 1; i < 4; i++) {
            int id = i;
            waiting.add(new Mutex(cs.get(i), path).acquire()
                    .subscribe(lease -> {
                        order.add("c" + id);
                        emit(granted, lease);
                    }));
            // queue position is decided by the create: wait for this waiter's node before starting the next one
            awaitChildCount(cs.get(0), path, i + 1);
        }
        waiting.get(1).dispose(); // c2 gives up while waiting: its node goes, c3 now waits for c1
        awaitChildCount(cs.get(0), path, 3);
        run(first.release());
        assertThat(first.isHeld()).isFalse();
        LockLease second = await(granted.asFlux().next());
        assertThat(order).containsExactly("c1");
        run(second.release());
        LockLease third = await(granted.asFlux().skip(1).next());
        assertThat(order).containsExactly("c1", "c3");
        run(third.release());
        assertThat(children(cs.get(0), path)).isEmpty();
    }

    @Test
    void lockNodesAreNamedAsCuratorNamesThem() {
        String path = root("mutex-names") + "/lock";
        CorralClient c = connect();
        LockLease lease = await(new Mutex(c, path).acquire());
        assertThat(Nodes.name(lease.path())).matches("_c_[0-9a-f]+-lock-\\d{10}");
        run(lease.release());
        run(lease.release()); // idempotent
        assertThat(children(c, path)).isEmpty();
    }

    @Test
    void leaseIsLostWhenTheSessionCloses() {
        String path = root("mutex-close") + "/lock";
        CorralClient holder = connect();
        CorralClient next = connect();
        LockLease lease = await(new Mutex(holder, path).acquire());
        StepVerifier.create(lease.lost())
                .then(() -> run(holder.close()))
                .verifyComplete();
        assertThat(lease.isHeld()).isFalse();
        LockLease taken = await(new Mutex(next, path).acquire());
        run(taken.release());
    }

    @Test
    void leaseIsLostWhenTheSessionExpires() {
        String path = root("mutex-expiry") + "/lock";
        TcpProxy proxy = proxy(server.connectString());
        CorralClient holder = connect(proxy.connectString(), options().build());
        CorralClient next = connect();
        LockLease lease = await(new Mutex(holder, path).acquire());
        Mono<LockLease> waiter = new Mutex(next, path).acquire().cache();
        waiter.subscribe();
        StepVerifier.create(lease.lost())
                .then(() -> SessionKiller.expire(holder, proxy, server.connectString()))
                .verifyComplete();
        assertThat(lease.isHeld()).isFalse();
        LockLease taken = await(waiter); // the waiter moves on when the expired holder's node goes
        run(taken.release());
        assertThat(children(next, path)).isEmpty();
    }

    @Test
    void leaseIsLostWhenItsNodeIsDeleted() {
        String path = root("mutex-deleted") + "/lock";
        CorralClient holder = connect();
        CorralClient admin = connect();
        LockLease lease = await(new Mutex(holder, path).acquire());
        StepVerifier.create(lease.lost())
                .then(() -> run(admin.delete(lease.path())))
                .verifyComplete();
        run(lease.release()); // the node is already gone: still fine
    }

    @Test
    void releasedLeaseIsNeverReportedLost() {
        String path = root("mutex-released") + "/lock";
        CorralClient c = connect();
        LockLease lease = await(new Mutex(c, path).acquire());
        run(lease.release());
        expectNothingFor(lease.lost(), QUIET);
    }

    // ================= read/write lock =================

    @Test
    void readersShareAndWritersAreExclusive() {
        String path = root("rw") + "/lock";
        List<CorralClient> cs = clients(4);
        ReadWriteLock a = new ReadWriteLock(cs.get(0), path);
        ReadWriteLock b = new ReadWriteLock(cs.get(1), path);
        ReadWriteLock w = new ReadWriteLock(cs.get(2), path);
        ReadWriteLock late = new ReadWriteLock(cs.get(3), path);
        LockLease r1 = await(a.readLock().acquire());
        LockLease r2 = await(b.readLock().acquire()); // readers share
        Mono<LockLease> writer = w.writeLock().acquire().cache();
        AtomicBoolean writerHolds = new AtomicBoolean();
        writer.subscribe(l -> writerHolds.set(true));
        awaitChildCount(cs.get(0), path, 3);
        // a reader arriving after a waiting writer queues behind it
        Mono<LockLease> lateReader = late.readLock().acquire().cache();
        AtomicBoolean lateHolds = new AtomicBoolean();
        lateReader.subscribe(l -> lateHolds.set(true));
        awaitChildCount(cs.get(0), path, 4);
        expectNothingFor(writer, QUIET);
        assertThat(writerHolds).isFalse();
        run(r1.release());
        assertThat(writerHolds).isFalse();
        run(r2.release());
        LockLease wl = await(writer);
        assertThat(Nodes.name(wl.path())).contains("__WRIT__");
        assertThat(lateHolds).isFalse();
        expectNothingFor(lateReader, QUIET);
        run(wl.release());
        LockLease lr = await(lateReader);
        assertThat(Nodes.name(lr.path())).contains("__READ__");
        run(lr.release());
        assertThat(children(cs.get(0), path)).isEmpty();
    }

    @Test
    void readWriteLockUnderContentionKeepsWritersAlone() {
        String path = root("rw-contention") + "/lock";
        int clients = 4;
        int rounds = 30;
        AtomicInteger readers = new AtomicInteger();
        AtomicInteger writers = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger maxReaders = new AtomicInteger();
        List<CorralClient> cs = clients(clients);
        Flux<Integer> all = Flux.range(0, clients).flatMap(n -> {
            CorralClient c = cs.get(n);
            ReadWriteLock rw = new ReadWriteLock(c, path);
            return Flux.range(0, rounds).concatMap(i -> {
                boolean write = (i + n) % 3 == 0;
                DistributedLock lock = write ? rw.writeLock() : rw.readLock();
                return lock.withLock(lease -> {
                    if (write) {
                        if (writers.incrementAndGet() != 1 || readers.get() != 0) {
                            violations.incrementAndGet();
                        }
                    } else {
                        maxReaders.accumulateAndGet(readers.incrementAndGet(), Math::max);
                        if (writers.get() != 0) {
                            violations.incrementAndGet();
                        }
                    }
                    return c.exists(lease.path()).doOnNext(s -> (write ? writers : readers).decrementAndGet())
                            .thenReturn(i);
                });
            });
        });
        StepVerifier.create(all).expectNextCount(clients * rounds).expectComplete().verify(LONG);
        assertThat(violations.get()).isZero();
        assertThat(writers.get()).isZero();
        assertThat(readers.get()).isZero();
        assertThat(children(cs.get(0), path)).isEmpty();
    }

    // ================= leader election =================

    @Test
    void leaderElectionHasAtMostOneLeaderAndMovesOn() {
        String path = root("election");
        int n = 5;
        List<CorralClient> cs = clients(n);
        AtomicInteger leaders = new AtomicInteger();
        AtomicInteger maxLeaders = new AtomicInteger();
        Set<Integer> haveLed = ConcurrentHashMap.newKeySet();
        Sinks.Many<Integer> newLeaders = Sinks.many().replay().all();
        boolean[] leading = new boolean[n];
        List<Disposable> participants = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            participants.add(new LeaderElection(cs.get(i), path, "p" + i).leadership()
                    .subscribe(isLeader -> {
                        synchronized (leading) {
                            if (isLeader && !leading[id]) {
                                maxLeaders.accumulateAndGet(leaders.incrementAndGet(), Math::max);
                                haveLed.add(id);
                                emit(newLeaders, id);
                            } else if (!isLeader && leading[id]) {
                                leaders.decrementAndGet();
                            }
                            leading[id] = isLeader;
                        }
                    }));
        }
        // each leader steps down (cancels) in turn; leadership moves on to a participant that still runs
        Set<Integer> gone = new HashSet<>();
        for (int round = 0; round < n - 1; round++) {
            int id = await(newLeaders.asFlux().skip(round).next());
            assertThat(gone).doesNotContain(id);
            assertThat(await(new LeaderElection(cs.get(id), path, "x").currentLeader())).contains("p" + id);
            gone.add(id);
            synchronized (leading) { // the application stops acting as leader before it leaves the election
                leading[id] = false;
                leaders.decrementAndGet();
            }
            participants.get(id).dispose();
        }
        // the last participant leads; its session closes and its flux ends with false
        int last = -1;
        for (int i = 0; i < n; i++) {
            if (!gone.contains(i)) {
                last = i;
            }
        }
        int lastId = last;
        StepVerifier.create(newLeaders.asFlux().skip(n - 1).take(1)).expectNext(lastId).verifyComplete();
        assertThat(maxLeaders.get()).isEqualTo(1);
        assertThat(haveLed).hasSize(n);
        awaitChildCount(cs.get(lastId), path, 1);
    }

    @Test
    void leadershipMovesOnWhenTheLeadersSessionCloses() {
        String path = root("election-close");
        CorralClient a = connect();
        CorralClient b = connect();
        Flux<Boolean> bLeads = new LeaderElection(b, path, "b").leadership();
        StepVerifier.create(new LeaderElection(a, path, "a").leadership())
                .expectNext(false, true)
                .then(() -> StepVerifier.create(bLeads)
                        .expectNext(false)
                        .then(() -> assertThat(await(new LeaderElection(b, path, "x").currentLeader()))
                                .contains("a"))
                        .then(() -> run(a.close()))
                        .expectNext(true)
                        .thenCancel()
                        .verify())
                .expectNext(false)
                .verifyComplete();
        awaitNoChildren(b, path);
    }

    @Test
    void leaderStepsDownWhileSuspendedAndResumesOnReconnect() {
        String path = root("election-suspend");
        TcpProxy proxy = proxy(server.connectString());
        CorralClient a = connect(proxy.connectString(), options().build());
        StepVerifier.create(new LeaderElection(a, path, "a").leadership())
                .expectNext(false, true)
                .then(proxy::cutAll)
                .expectNext(false) // SUSPENDED: the session may be expiring, stop leading
                .expectNext(true) // RECONNECTED with the same session: its node is still first
                .thenCancel()
                .verify();
        awaitNoChildren(a, path);
    }

    @Test
    void leadershipEndsWhenTheSessionExpires() {
        String path = root("election-expiry");
        TcpProxy proxy = proxy(server.connectString());
        CorralClient a = connect(proxy.connectString(), options().build());
        CorralClient b = connect();
        Mono<Boolean> bBecomesLeader = new LeaderElection(b, path, "b").leadership().filter(l -> l).next().cache();
        StepVerifier.create(new LeaderElection(a, path, "a").leadership())
                .expectNext(false, true)
                .then(bBecomesLeader::subscribe)
                .then(() -> awaitChildCount(b, path, 2))
                .then(() -> SessionKiller.expire(a, proxy, server.connectString()))
                .expectNext(false)
                .verifyComplete();
        StepVerifier.create(bBecomesLeader).expectNext(true).verifyComplete();
    }

    // ================= barriers =================

    @Test
    void barrierHoldsWaitersUntilRemoved() {
        String path = root("barrier") + "/gate";
        List<CorralClient> cs = clients(3);
        Barrier setter = new Barrier(cs.get(0), path);
        run(setter.set());
        run(setter.set()); // already set: fine
        Mono<Void> waiters = Flux.fromIterable(cs.subList(1, 3))
                .flatMap(c -> new Barrier(c, path).await().thenReturn(c))
                .then();
        StepVerifier.create(waiters)
                .expectSubscription()
                .expectNoEvent(QUIET)
                .then(() -> run(setter.remove()))
                .verifyComplete();
        StepVerifier.create(new Barrier(cs.get(1), path).await()).verifyComplete(); // open: passes at once
    }

    @Test
    void doubleBarrierEntersTogetherAndLeavesTogether() {
        String path = root("double-barrier");
        int n = 3;
        List<CorralClient> cs = clients(n);
        AtomicInteger entered = new AtomicInteger();
        AtomicBoolean lastArrived = new AtomicBoolean();
        AtomicInteger earlyEntries = new AtomicInteger();
        Sinks.Many<DoubleBarrier.Member> members = Sinks.many().replay().all();
        for (int i = 0; i < n - 1; i++) {
            new DoubleBarrier(cs.get(i), path, n).enter().subscribe(m -> {
                if (!lastArrived.get()) {
                    earlyEntries.incrementAndGet();
                }
                entered.incrementAndGet();
                emit(members, m);
            });
        }
        awaitChildCount(cs.get(0), path, n - 1);
        expectNothingFor(members.asFlux(), QUIET);
        lastArrived.set(true);
        DoubleBarrier.Member last = await(new DoubleBarrier(cs.get(n - 1), path, n).enter());
        List<DoubleBarrier.Member> all = new ArrayList<>(await(members.asFlux().take(n - 1).collectList()));
        assertThat(earlyEntries.get()).isZero();
        assertThat(children(cs.get(0), path)).contains(DoubleBarrier.READY);

        // leaving: nobody is out before everybody has called leave
        AtomicBoolean lastLeft = new AtomicBoolean();
        AtomicInteger earlyExits = new AtomicInteger();
        Mono<Void> firstLeavers = Flux.fromIterable(all)
                .flatMap(m -> m.leave().doOnSuccess(v -> {
                    if (!lastLeft.get()) {
                        earlyExits.incrementAndGet();
                    }
                }))
                .then()
                .cache();
        firstLeavers.subscribe();
        expectNothingFor(firstLeavers, QUIET);
        lastLeft.set(true);
        run(last.leave());
        run(firstLeavers);
        assertThat(earlyExits.get()).isZero();
        assertThat(children(cs.get(0), path)).isEmpty();
    }

    @Test
    void doubleBarrierAroundRunsWorkWithAllMembersInside() {
        String path = root("double-barrier-around");
        int n = 4;
        List<CorralClient> cs = clients(n);
        AtomicInteger worked = new AtomicInteger();
        AtomicInteger leftEarly = new AtomicInteger();
        Flux<Integer> rounds = Flux.range(0, n).flatMap(i -> new DoubleBarrier(cs.get(i), path, n)
                .around(cs.get(i).sync("/").then(Mono.fromCallable(() -> {
                    worked.incrementAndGet();
                    return i;
                })))
                .doOnNext(v -> { // out of the barrier only once every member has done its work and left
                    if (worked.get() != n) {
                        leftEarly.incrementAndGet();
                    }
                }));
        StepVerifier.create(rounds).expectNextCount(n).expectComplete().verify(LONG);
        assertThat(worked.get()).isEqualTo(n);
        assertThat(leftEarly.get()).isZero();
        assertThat(children(cs.get(0), path)).isEmpty();
    }

    // ================= queue =================

    @Test
    void queueIsFifoAndTakeWaitsForItems() {
        String path = root("queue") + "/q";
        CorralClient producer = connect();
        CorralClient consumer = connect();
        DistributedQueue in = new DistributedQueue(producer, path);
        DistributedQueue out = new DistributedQueue(consumer, path);
        StepVerifier.create(out.take().map(AbstractClientContract::str))
                .expectSubscription()
                .expectNoEvent(QUIET)
                .then(() -> run(in.put(bytes("first"))))
                .expectNext("first")
                .verifyComplete();
        for (int i = 0; i < 10; i++) {
            run(in.put(bytes("item-" + i)));
        }
        StepVerifier.create(Flux.range(0, 10).concatMap(i -> out.take()).map(AbstractClientContract::str))
                .expectNext("item-0", "item-1", "item-2", "item-3", "item-4", "item-5", "item-6", "item-7",
                        "item-8", "item-9")
                .verifyComplete();
        assertThat(children(consumer, path)).isEmpty();
    }

    @Test
    void queueWithConcurrentProducersAndConsumersDeliversEachItemOnceInOrder() {
        String path = root("queue-concurrent") + "/q";
        int producers = 3;
        int consumers = 3;
        int perProducer = 40;
        int total = producers * perProducer;
        List<CorralClient> cs = clients(producers + consumers);
        AtomicInteger remaining = new AtomicInteger(total);
        Map<Integer, List<String>> takenBy = new ConcurrentHashMap<>();
        Flux<String> puts = Flux.range(0, producers).flatMap(p -> {
            DistributedQueue q = new DistributedQueue(cs.get(p), path);
            return Flux.range(0, perProducer).concatMap(i -> q.put(bytes(p + ":" + i)));
        });
        IntFunction<Flux<String>> consumer = k -> {
            DistributedQueue q = new DistributedQueue(cs.get(producers + k), path);
            List<String> mine = Collections.synchronizedList(new ArrayList<>());
            takenBy.put(k, mine);
            // each consumer claims a share up front so that no take is left waiting for an item that never comes
            return Flux.defer(() -> remaining.getAndDecrement() > 0 ? q.take().map(AbstractClientContract::str)
                            : Mono.empty())
                    .repeat(() -> remaining.get() > 0)
                    .doOnNext(mine::add);
        };
        Flux<String> takes = Flux.range(0, consumers).flatMap(consumer::apply);
        StepVerifier.create(Flux.merge(puts.then(Mono.<String>empty()), takes))
                .expectNextCount(total)
                .expectComplete()
                .verify(LONG);
        Set<String> all = new HashSet<>();
        takenBy.values().forEach(all::addAll);
        assertThat(all).hasSize(total);
        assertThat(takenBy.values().stream().mapToInt(List::size).sum()).isEqualTo(total);
        for (List<String> mine : takenBy.values()) {
            for (int p = 0; p < producers; p++) {
                String prefix = p + ":";
                List<Integer> seq = mine.stream().filter(s -> s.startsWith(prefix))
                        .map(s -> Integer.parseInt(s.substring(prefix.length()))).toList();
                assertThat(seq).as("producer %d's items as one consumer took them", p).isSorted();
            }
        }
        assertThat(children(cs.get(0), path)).isEmpty();
    }

    // ================= counter =================

    @Test
    void counterCompareAndSetUnderContentionGivesExactTotals() {
        String path = root("counter") + "/c";
        int clients = 8;
        int adds = 25;
        List<CorralClient> cs = clients(clients);
        Flux<Integer> all = Flux.range(0, clients).flatMap(n -> {
            SharedCounter counter = new SharedCounter(cs.get(n), path, 0);
            return Flux.range(0, adds).concatMap(i -> counter.add(1));
        });
        Set<Integer> results = ConcurrentHashMap.newKeySet();
        StepVerifier.create(all.doOnNext(results::add)).expectNextCount(clients * adds).expectComplete()
                .verify(LONG);
        assertThat(results).hasSize(clients * adds); // every add produced a distinct value
        SharedCounter counter = new SharedCounter(cs.get(0), path, 0);
        SharedCounter.VersionedValue v = await(counter.get());
        assertThat(v.value()).isEqualTo(clients * adds);
        assertThat(await(counter.trySet(v, 7))).isTrue();
        assertThat(await(counter.trySet(v, 8))).isFalse(); // stale version
        assertThat(await(counter.get()).value()).isEqualTo(7);
    }

    @Test
    void counterValuesFollowChanges() {
        String path = root("counter-values") + "/c";
        CorralClient c = connect();
        SharedCounter counter = new SharedCounter(c, path, 5);
        StepVerifier.create(counter.values())
                .expectNext(5) // the seed while the node does not exist
                .then(() -> run(counter.add(2)))
                .expectNext(7)
                .then(() -> run(counter.add(-10)))
                .expectNext(-3)
                .thenCancel()
                .verify();
    }

    // ================= service discovery =================

    @Test
    void discoveryReflectsRegistrationsAndSessionCloses() {
        String base = root("services");
        CorralClient watcher = connect();
        CorralClient a = connect();
        CorralClient b = connect();
        ServiceInstance ia = new ServiceInstance("orders", "a", "10.0.0.1", 8080,
                Map.of("zone", "eu=1", "note", "line\nbreak %"));
        ServiceInstance ib = new ServiceInstance("orders", "b", "10.0.0.2", 8081);
        AtomicReference<Disposable> regA = new AtomicReference<>();
        StepVerifier.create(new ServiceDiscovery(watcher, base).instances("orders"))
                .expectNext(List.of())
                .then(() -> regA.set(new ServiceDiscovery(a, base).register(ia).subscribe()))
                .expectNext(List.of(ia))
                .then(() -> new ServiceDiscovery(b, base).register(ib).subscribe())
                .expectNext(List.of(ia, ib))
                .then(() -> regA.get().dispose()) // deregistration on cancel
                .expectNext(List.of(ib))
                .then(() -> run(b.close())) // the session's end removes its instance
                .expectNext(List.of())
                .thenCancel()
                .verify();
        assertThat(await(new ServiceDiscovery(watcher, base).services())).containsExactly("orders");
    }

    @Test
    void discoveryRegistrationEmitsAndReplacesADeletedNode() {
        String base = root("services-replace");
        CorralClient a = connect();
        CorralClient admin = connect();
        ServiceInstance ia = new ServiceInstance("search", "a", "127.0.0.1", 9000);
        StepVerifier.create(new ServiceDiscovery(a, base).register(ia))
                .expectNext(ia)
                .then(() -> run(admin.delete(base + "/search/a")))
                .expectNext(ia) // registered again
                .thenCancel()
                .verify();
        awaitNoChildren(admin, base + "/search");
    }

    // ================= config watch =================

    @Test
    void configWatchDecodesSuccessiveValues() {
        String path = root("config");
        CorralClient c = connect();
        ConfigWatch<Integer> limit = new ConfigWatch<>(c, path, b -> Integer.parseInt(str(b)), -1);
        StepVerifier.create(limit.values())
                .expectNext(-1)
                .then(() -> run(c.create(path, bytes("10"))))
                .expectNext(10)
                .then(() -> run(c.setData(path, bytes("20"))))
                .expectNext(20)
                .then(() -> run(c.setData(path, bytes("20")))) // same value: not reported again
                .then(() -> run(c.setData(path, bytes("30"))))
                .expectNext(30)
                .then(() -> run(c.delete(path)))
                .expectNext(-1)
                .thenCancel()
                .verify();
    }

    /**
     * A burst of writes sent without waiting: on Corral the config watch reports every value in order (the node's
     * resumable stream); on ZooKeeper, which has no such stream, it falls back to ordinary watches and reports an
     * increasing selection that ends with the last value.
     */
    @Test
    void configWatchSeesEveryValueOfABurstOnCorralAndTheLastOnZooKeeper() {
        String path = root("config-burst");
        CorralClient c = connect();
        CorralClient writer = connect();
        run(c.create(path, bytes("0")));
        int last = 200;
        List<Integer> seen = new ConfigWatch<>(c, path, b -> Integer.parseInt(str(b)), -1).values()
                .doOnNext(v -> {
                    if (v == 0) {
                        for (int i = 1; i <= last; i++) {
                            writer.setData(path, bytes(Integer.toString(i))).subscribe();
                        }
                    }
                })
                .takeUntil(v -> v == last)
                .collectList()
                .block(TIMEOUT);
        assertThat(seen).startsWith(0).endsWith(last).isSorted().doesNotHaveDuplicates();
        if (server.kind().equals("corral")) {
            assertThat(seen).hasSize(last + 1);
        }
        run(writer.create(path + "/child", new byte[0])); // the client still works on either server
    }

    @Test
    void discoveryOnCorralReportsEachRegistrationOfABurst() {
        String base = root("services-burst");
        CorralClient watcher = connect();
        CorralClient a = connect();
        int n = 30;
        List<List<ServiceInstance>> seen = new ServiceDiscovery(watcher, base).instances("burst")
                .doOnNext(set -> {
                    if (set.isEmpty()) {
                        ServiceDiscovery discovery = new ServiceDiscovery(a, base);
                        for (int i = 0; i < n; i++) {
                            discovery.register(new ServiceInstance("burst", String.format("i%02d", i), "h", i))
                                    .subscribe();
                        }
                    }
                })
                .takeUntil(set -> set.size() == n)
                .collectList()
                .block(TIMEOUT);
        assertThat(seen.get(0)).isEmpty();
        assertThat(seen.get(seen.size() - 1)).hasSize(n);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i).size()).isGreaterThan(seen.get(i - 1).size());
        }
        if (server.kind().equals("corral")) {
            assertThat(seen).hasSize(n + 1);
        }
    }

    @Test
    void configWatchSurvivesAConnectionLostWhileReading() {
        String path = root("config-blip");
        TcpProxy proxy = proxy(server.connectString());
        CorralClient c = connect(proxy.connectString(), options().build());
        run(c.create(path, bytes("1")));
        proxy.holdReplies(true); // the first read is in flight when the connection breaks: CONNECTIONLOSS
        StepVerifier.create(new ConfigWatch<>(c, path, b -> str(b), "none").values())
                .expectSubscription()
                .then(proxy::cutAll)
                .then(() -> proxy.holdReplies(false))
                .expectNext("1")
                .then(() -> run(c.setData(path, bytes("2"))))
                .expectNext("2")
                .thenCancel()
                .verify();
    }

    @Test
    void leaseSurvivesAConnectionBlip() {
        String path = root("mutex-blip") + "/lock";
        TcpProxy proxy = proxy(server.connectString());
        CorralClient c = connect(proxy.connectString(), options().build());
        LockLease lease = await(new Mutex(c, path).acquire());
        StepVerifier.create(c.states().skip(1).take(2))
                .then(proxy::cutAll)
                .expectNext(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED)
                .verifyComplete();
        expectNothingFor(lease.lost(), QUIET);
        assertThat(lease.isHeld()).isTrue();
        run(lease.release());
        assertThat(children(c, path)).isEmpty();
    }

    @Test
    void configWatchEndsWithTheDecodersError() {
        String path = root("config-bad");
        CorralClient c = connect();
        run(c.create(path, bytes("not a number")));
        StepVerifier.create(new ConfigWatch<>(c, path, b -> Integer.parseInt(str(b)), 0).values())
                .expectError(NumberFormatException.class)
                .verify();
    }

    // ================= cleanup =================

    @Test
    void noRecipeNodeRemainsAfterCancel() {
        String base = root("cleanup");
        CorralClient c = connect();
        CorralClient other = connect();
        LockLease held = await(new Mutex(other, base + "/lock").acquire());
        List<Disposable> subscriptions = List.of(
                new Mutex(c, base + "/lock").acquire().subscribe(), // waiting
                new ReadWriteLock(c, base + "/rw").writeLock().withLock(lease -> Mono.never()).subscribe(), // held
                new LeaderElection(c, base + "/election", "c").leadership().subscribe(),
                new DoubleBarrier(c, base + "/barrier", 2).enter().subscribe(), // waiting for a second member
                new ServiceDiscovery(c, base + "/services").register(new ServiceInstance("s", "c", "h", 1))
                        .subscribe(),
                new DistributedQueue(c, base + "/queue").take().subscribe(),
                new ConfigWatch<>(c, base + "/config", b -> b, new byte[0]).values().subscribe());
        // everything is in place once the session owns its five ephemerals
        StepVerifier.create(eventually(c.getEphemerals(base), e -> e.size() == 5)).expectNextCount(1)
                .verifyComplete();
        subscriptions.forEach(Disposable::dispose);
        StepVerifier.create(eventually(c.getEphemerals(base), List::isEmpty)).expectNextCount(1).verifyComplete();
        run(held.release());
        for (String p : List.of("/lock", "/rw", "/election", "/barrier", "/services/s", "/queue")) {
            assertThat(children(other, base + p)).as(p).isEmpty();
        }
    }
}
