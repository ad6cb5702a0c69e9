package io.corral.client;

import java.util.List;

import io.corral.protocol.CreateMode;
import reactor.core.publisher.Mono;

/**
 * A minimal exclusive lock for tests (the usual recipe: an ephemeral sequential node under the lock's path; the
 * lowest holds it; the others wait for their predecessor to go). Not the recipes' lock: just enough to show that
 * a held lock survives a failover and passes on when released.
 */
final class TestLock {
    private final CorralClient client;
    private final String dir;
    private volatile String node;

    TestLock(CorralClient client, String dir) {
        this.client = client;
        this.dir = dir;
    }

    /** Completes when this client holds the lock. */
    Mono<Void> acquire() {
        return client.create(dir + "/lock-", null, CreateMode.EPHEMERAL_SEQUENTIAL)
                .doOnNext(created -> node = created.path())
                .then(Mono.defer(this::waitForTurn));
    }

    private Mono<Void> waitForTurn() {
        String mine = node.substring(dir.length() + 1);
        return client.getChildren(dir).flatMap(children -> {
            List<String> sorted = children.names().stream().sorted().toList();
            int index = sorted.indexOf(mine);
            if (index < 0) {
                return Mono.error(new IllegalStateException("lock node " + node + " is gone"));
            }
            if (index == 0) {
                return Mono.<Void>empty();
            }
            String predecessor = dir + "/" + sorted.get(index - 1);
            return client.existsAndWatch(predecessor).flatMap(w -> w.value().isEmpty()
                    ? waitForTurn()
                    : w.change().then(Mono.defer(this::waitForTurn)));
        });
    }

    /** The lock node this client made (null before acquire). */
    String node() {
        return node;
    }

    Mono<Void> release() {
        return Mono.defer(() -> client.delete(node));
    }
}
