package io.corral.client.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import io.corral.client.CorralClient;
import io.corral.client.TcpProxy;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The counter, service discovery and the config watch against a server, and cleanup: no recipe node remains
 * after a cancel.
 */
public abstract class SharedValueRecipesContract extends RecipeContract {
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
