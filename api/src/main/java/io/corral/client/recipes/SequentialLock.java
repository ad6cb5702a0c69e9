package io.corral.client.recipes;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.corral.client.CorralClient;
import io.corral.client.Watched;
import io.corral.protocol.CreateMode;
import io.corral.protocol.Stat;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The lock algorithm behind the lock recipes: each contender creates a protected ephemeral sequential node under
 * the lock's path and, until the {@link TurnRule} says it holds the lock, watches only the node it waits for (no
 * herd effect: a release wakes one contender). Node names are {@code _c_<id>-<lockName><sequence>}, as Curator's.
 */
final class SequentialLock implements DistributedLock {
    private final CorralClient client;
    private final String path;
    private final String lockName;
    private final List<String> contenderNames;
    private final TurnRule rule;
    private final byte[] data;

    /**
     * @param lockName       this contender's node name (before the sequence)
     * @param contenderNames the node names that compete in the same queue (lockName included)
     */
    SequentialLock(CorralClient client, String path, String lockName, List<String> contenderNames, TurnRule rule,
            byte[] data) {
        this.client = client;
        this.path = path;
        this.lockName = lockName;
        this.contenderNames = List.copyOf(contenderNames);
        this.rule = rule;
        this.data = data;
    }

    @Override
    public Mono<LockLease> acquire() {
        return Mono.defer(() -> {
            ProtectedNode node = new ProtectedNode(client, path, lockName, data, CreateMode.EPHEMERAL_SEQUENTIAL);
            AtomicBoolean handedOver = new AtomicBoolean();
            return node.create()
                    .flatMap(ours -> waitForTurn(Nodes.name(ours)).thenReturn(ours))
                    .map(ours -> {
                        handedOver.set(true);
                        return new LockLease(client, ours);
                    })
                    .doFinally(signal -> {
                        if (!handedOver.get()) { // cancelled or failed before holding: leave the queue
                            node.deleteIfCreated().subscribe();
                        }
                    });
        });
    }

    /** Completes when the rule says {@code ours} holds the lock. */
    private Mono<Void> waitForTurn(String ours) {
        return Mono.defer(() -> checkTurn(ours)).repeat().filter(held -> held).next().then();
    }

    /** One look at the queue: true when held, otherwise false once the blocker is gone (look again then). */
    private Mono<Boolean> checkTurn(String ours) {
        return client.getChildren(path)
                .retryWhen(Nodes.onConnectionLoss())
                .flatMap(children -> {
                    List<String> sorted = children.names().stream()
                            .filter(this::isContender)
                            .sorted(Nodes.BY_SEQUENCE)
                            .toList();
                    int index = sorted.indexOf(ours);
                    if (index < 0) {
                        return Mono.error(new LockNodeVanishedException(Nodes.join(path, ours)));
                    }
                    String blocker = rule.blocker(sorted, index);
                    if (blocker == null) {
                        return Mono.just(true);
                    }
                    return client.existsAndWatch(Nodes.join(path, blocker))
                            .retryWhen(Nodes.onConnectionLoss())
                            .flatMap(this::untilGone)
                            .thenReturn(false);
                });
    }

    /** Waits for the watched blocker to change (its deletion, in practice); at once when it is already gone. */
    private Mono<Void> untilGone(Watched<Optional<Stat>> watched) {
        if (watched.value().isEmpty()) {
            return Mono.empty();
        }
        return watched.change().then();
    }

    private boolean isContender(String child) {
        if (Nodes.sequence(child) < 0) {
            return false;
        }
        for (String name : contenderNames) {
            if (child.contains(name)) {
                return true;
            }
        }
        return false;
    }
}
