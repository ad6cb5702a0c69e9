package io.corral.client.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
 * The mutex, its lease and the read/write lock against a server: a shared count of holders never exceeds one
 * under contention, queue order, and a lease lost (or kept) as its session and node go.
 */
public abstract class LockRecipesContract extends RecipeContract {
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
}
