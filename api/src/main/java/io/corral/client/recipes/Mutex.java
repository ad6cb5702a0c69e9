package io.corral.client.recipes;

import java.util.List;

import io.corral.client.CorralClient;
import reactor.core.publisher.Mono;

/**
 * A distributed mutex with Curator's InterProcessMutex semantics (not reentrant): contenders queue as ephemeral
 * sequential nodes {@code _c_<id>-lock-<seq>} under {@code path}, the lowest holds the lock, each waiter watches only
 * its predecessor. The node (and so the lock) goes with the session: see {@link LockLease#lost()}.
 *
 * <pre>{@code
 * Mutex mutex = new Mutex(client, "/locks/orders");
 * mutex.withLock(lease -> processOrders()).subscribe();
 * }</pre>
 */
public final class Mutex implements DistributedLock {
    static final String LOCK_NAME = "lock-";

    private final SequentialLock lock;

    public Mutex(CorralClient client, String path) {
        this.lock = new SequentialLock(client, path, LOCK_NAME, List.of(LOCK_NAME), TurnRule.EXCLUSIVE, new byte[0]);
    }

    @Override
    public Mono<LockLease> acquire() {
        return lock.acquire();
    }
}
