package io.corral.client.recipes;

import java.util.function.Function;

import reactor.core.publisher.Mono;

/**
 * A lock held through a {@link LockLease}: {@link Mutex}, and the two sides of a {@link ReadWriteLock}. Not reentrant:
 * every acquisition is a separate contender, even from the same client.
 */
public interface DistributedLock {

    /**
     * Joins the queue of contenders and completes with a lease once the lock is held. Cancelling the Mono (for
     * instance through {@code timeout}) leaves the queue and deletes the contender's node. Fails with SESSIONEXPIRED
     * or {@link io.corral.client.ClientClosedException} when the session ends first.
     */
    Mono<LockLease> acquire();

    /** Runs {@code work} while holding the lock and releases it afterwards, whether the work succeeds, fails or is cancelled. */
    default <T> Mono<T> withLock(Function<LockLease, Mono<T>> work) {
        return Mono.usingWhen(acquire(), work, LockLease::release, (lease, error) -> lease.release(),
                LockLease::release);
    }
}
