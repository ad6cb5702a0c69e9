package io.corral.client.recipes;

import java.util.List;

import io.corral.client.Children;
import io.corral.client.CorralClient;
import io.corral.client.NodeData;
import io.corral.protocol.CreateMode;
import io.corral.protocol.ErrorCode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A FIFO queue with Curator's SimpleDistributedQueue semantics: each item is a persistent sequential node
 * {@code path/qn-<seq>} holding the item's bytes; a consumer takes the lowest item by deleting its node (whoever
 * deletes it owns it, so every item is taken exactly once). Items put by one client are taken in the order put;
 * one consumer takes items in sequence order.
 *
 * <pre>{@code
 * DistributedQueue queue = new DistributedQueue(client, "/queues/jobs");
 * queue.put(job).then(queue.take()).subscribe(bytes -> run(bytes));
 * }</pre>
 */
public final class DistributedQueue {
    static final String ITEM_NAME = "qn-";

    private final CorralClient client;
    private final String path;

    public DistributedQueue(CorralClient client, String path) {
        this.client = client;
        this.path = path;
    }

    /**
     * Appends an item; completes with its node's path. Fails with CONNECTIONLOSS when the connection broke while
     * the create was in flight: the item may or may not be in the queue (a sequential create cannot be recognised).
     */
    public Mono<String> put(byte[] item) {
        return Mono.defer(() -> client.create(Nodes.join(path, ITEM_NAME), item, CreateMode.PERSISTENT_SEQUENTIAL)
                .map(created -> created.path())
                .onErrorResume(e -> Nodes.is(e, ErrorCode.NO_NODE),
                        e -> Nodes.ensureContainers(client, path).then(put(item))));
    }

    /**
     * Removes and returns the head item, waiting (with a child watch, not polling) while the queue is empty.
     * Cancelling while waiting takes nothing. Delivery is at most once: an item whose delete was in flight when
     * the take was cancelled, or when the connection broke (CONNECTIONLOSS, then the take starts over), is lost.
     */
    public Mono<byte[]> take() {
        return Mono.defer(() -> client.getChildren(path)
                        .onErrorResume(e -> Nodes.is(e, ErrorCode.NO_NODE), e -> Mono.just(new Children(List.of(), null)))
                        .flatMap(children -> takeFirst(children)
                                .switchIfEmpty(Mono.defer(this::takeOrWait))))
                .retryWhen(Nodes.onConnectionLoss())
                .repeatWhenEmpty(Integer.MAX_VALUE, attempts -> attempts);
    }

    /** Looks again, this time leaving a child watch; waits for it when the queue is still empty. */
    private Mono<byte[]> takeOrWait() {
        return client.getChildrenAndWatch(path)
                .onErrorResume(e -> Nodes.is(e, ErrorCode.NO_NODE),
                        e -> Nodes.ensureContainers(client, path).then(Mono.empty()))
                .flatMap(watched -> watched.value().names().stream().anyMatch(DistributedQueue::isItem)
                        ? takeFirst(watched.value())
                        : watched.change().then(Mono.empty()));
    }

    /** Tries the items in sequence order; the first one this client manages to delete is its. */
    private Mono<byte[]> takeFirst(Children children) {
        List<String> items = children.names().stream()
                .filter(DistributedQueue::isItem)
                .sorted(Nodes.BY_SEQUENCE)
                .toList();
        return Flux.fromIterable(items)
                .concatMap(this::tryTake)
                .next();
    }

    /** Reads an item and deletes it: the item, or empty when another consumer took it first. */
    private Mono<byte[]> tryTake(String item) {
        String itemPath = Nodes.join(path, item);
        return client.getData(itemPath)
                .flatMap(data -> client.delete(itemPath, data.stat().version()).thenReturn(data))
                .map(NodeData::data)
                .map(bytes -> bytes == null ? new byte[0] : bytes)
                .onErrorResume(e -> Nodes.is(e, ErrorCode.NO_NODE), e -> Mono.empty());
    }

    private static boolean isItem(String name) {
        return name.startsWith(ITEM_NAME) && Nodes.sequence(name) >= 0;
    }
}
