package io.corral.client.recipes;

import java.util.concurrent.atomic.AtomicBoolean;

import io.corral.client.CorralClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A held lock: the contender's ephemeral node. {@link #release()} deletes it. {@link #lost()} completes if the lock
 * is lost without a release: the session expired or was closed, or someone deleted the node. While the connection
 * is SUSPENDED (see {@link CorralClient#states()}) the lock may already be lost; a careful holder pauses until
 * RECONNECTED.
 */
public final class LockLease {
    private final CorralClient client;
    private final String path;
    private final AtomicBoolean released = new AtomicBoolean();
    private final Sinks.Empty<Void> lost = Sinks.empty();
    private volatile boolean lostFlag;
    private final Disposable monitor;

    LockLease(CorralClient client, String path) {
        this.client = client;
        this.path = path;
        // watchData ends (or reports the node missing) when the node goes or the session ends: either loses the lock
        this.monitor = client.watchData(path)
                .retryWhen(Nodes.onConnectionLoss()) // a broken connection is not a lost lock (yet)
                .filter(value -> !value.exists())
                .next()
                .then()
                .onErrorResume(e -> Mono.empty())
                .doFinally(signal -> {
                    if (!released.get()) {
                        lostFlag = true;
                        lost.tryEmitEmpty();
                    }
                })
                .subscribe();
    }

    /** The path of the lock node this lease owns. */
    public String path() {
        return path;
    }

    /** True until released or lost. */
    public boolean isHeld() {
        return !released.get() && !lostFlag;
    }

    /** Completes when the lock is lost without having been released; never completes after a release. */
    public Mono<Void> lost() {
        return lost.asMono();
    }

    /** Deletes the lock node (idempotent; a node already gone with its session counts as released). */
    public Mono<Void> release() {
        return Mono.defer(() -> {
            if (!released.compareAndSet(false, true)) {
                return Mono.empty();
            }
            monitor.dispose();
            return Nodes.deleteQuietly(client, path);
        });
    }
}
