package io.corral.client.recipes;

import io.corral.client.CorralClient;
import io.corral.protocol.CreateMode;
import io.corral.protocol.ErrorCode;
import reactor.core.publisher.Mono;

/**
 * A barrier with Curator's DistributedBarrier semantics: while the node at {@code path} exists the barrier is
 * closed and {@link #await()} waits; removing the node opens it for every waiter at once.
 *
 * <pre>{@code
 * Barrier barrier = new Barrier(client, "/barriers/deploy");
 * barrier.set().then(barrier.await()).subscribe(v -> { }, e -> { }, () -> startWork());
 * }</pre>
 */
public final class Barrier {
    private final CorralClient client;
    private final String path;

    public Barrier(CorralClient client, String path) {
        this.client = client;
        this.path = path;
    }

    /** Closes the barrier (creates its persistent node and missing parents); already closed is fine. */
    public Mono<Void> set() {
        return Nodes.ensureContainers(client, Nodes.parent(path))
                .then(client.create(path, new byte[0], CreateMode.PERSISTENT).then())
                .onErrorResume(e -> Nodes.is(e, ErrorCode.NODE_EXISTS), e -> Mono.empty());
    }

    /** Opens the barrier (deletes its node); already open is fine. */
    public Mono<Void> remove() {
        return Nodes.deleteQuietly(client, path);
    }

    /** Completes once the barrier is open (its node absent); at once if it is open already. */
    public Mono<Void> await() {
        return Mono.defer(() -> client.existsAndWatch(path)
                        .retryWhen(Nodes.onConnectionLoss())
                        .flatMap(watched -> watched.value().isEmpty()
                                ? Mono.just(true)
                                : watched.change().thenReturn(false)))
                .repeat()
                .filter(open -> open)
                .next()
                .then();
    }
}
