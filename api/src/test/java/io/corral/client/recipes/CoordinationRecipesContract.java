package io.corral.client.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import io.corral.client.AbstractClientContract;
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
 * Leader election, barriers and the queue against a server: at most one leader, which moves on when its session
 * goes; members held and released together; each item taken once, in order.
 */
public abstract class CoordinationRecipesContract extends RecipeContract {
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
}
