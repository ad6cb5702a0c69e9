package io.corral.client.recipes;

import java.nio.ByteBuffer;

import io.corral.client.CorralClient;
import io.corral.client.NodeData;
import io.corral.protocol.CreateMode;
import io.corral.protocol.ErrorCode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A shared integer with Curator's SharedCount semantics: the value is stored in the node at {@code path} as 4 bytes
 * big-endian (Curator's encoding, so both can share a counter), and changed by compare-and-set on the node's data
 * version. The node is created with the seed value on first use.
 *
 * <pre>{@code
 * SharedCounter counter = new SharedCounter(client, "/counters/orders", 0);
 * counter.add(1).subscribe(total -> log.info("orders: {}", total));
 * }</pre>
 */
public final class SharedCounter {
    private final CorralClient client;
    private final String path;
    private final int seed;

    public SharedCounter(CorralClient client, String path, int seed) {
        this.client = client;
        this.path = path;
        this.seed = seed;
    }

    /** A value together with the data version it was read at: the expectation of a compare-and-set. */
    public record VersionedValue(int value, int version) {
    }

    /** The current value and version (creating the node with the seed if it does not exist). */
    public Mono<VersionedValue> get() {
        return client.getData(path)
                .map(SharedCounter::decode)
                .onErrorResume(e -> Nodes.is(e, ErrorCode.NO_NODE), e -> createSeed().then(Mono.defer(this::get)))
                .retryWhen(Nodes.onConnectionLoss());
    }

    /**
     * Sets the value to {@code newValue} if nobody changed it since {@code expected} was read; true when set, false
     * when the version moved on (read again and retry). Fails with CONNECTIONLOSS when the connection broke while
     * the set was in flight: it may or may not have been applied, so it is not retried blindly.
     */
    public Mono<Boolean> trySet(VersionedValue expected, int newValue) {
        return client.setData(path, encode(newValue), expected.version())
                .thenReturn(true)
                .onErrorResume(e -> Nodes.is(e, ErrorCode.BAD_VERSION), e -> Mono.just(false));
    }

    /** Adds {@code delta} with compare-and-set, retrying on conflicts; the value it produced (see {@link #trySet}). */
    public Mono<Integer> add(int delta) {
        return get()
                .flatMap(current -> trySet(current, current.value() + delta)
                        .flatMap(set -> set ? Mono.just(current.value() + delta) : Mono.empty()))
                .repeatWhenEmpty(Integer.MAX_VALUE, attempts -> attempts);
    }

    /** The successive values, starting with the current one (the seed until the node exists). */
    public Flux<Integer> values() {
        return client.watchData(path)
                .retryWhen(Nodes.onConnectionLoss())
                .map(value -> value.exists() ? decode(new NodeData(value.data(), value.stat())).value() : seed)
                .distinctUntilChanged();
    }

    private Mono<Void> createSeed() {
        return Nodes.ensureContainers(client, Nodes.parent(path))
                .then(client.create(path, encode(seed), CreateMode.PERSISTENT).then())
                .onErrorResume(e -> Nodes.is(e, ErrorCode.NODE_EXISTS), e -> Mono.empty());
    }

    static byte[] encode(int value) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(value).array();
    }

    private static VersionedValue decode(NodeData data) {
        byte[] bytes = data.data();
        if (bytes == null || bytes.length != Integer.BYTES) {
            throw new IllegalStateException("not a counter: " + (bytes == null ? "null" : bytes.length + " bytes"));
        }
        return new VersionedValue(ByteBuffer.wrap(bytes).getInt(), data.stat().version());
    }
}
