package io.corral.client.recipes;

import java.util.function.Function;

import io.corral.client.CorralClient;
import io.corral.client.NodeValue;
import io.corral.client.ValueDelivery;
import reactor.core.publisher.Flux;

/**
 * The successive values of a configuration node, decoded: the current value on subscription, then each new one.
 * On a Corral server every value the node took, in order (its resumable stream, {@link ValueDelivery#EVERY}); on
 * ZooKeeper the latest value after a burst of changes is never missed but intermediate ones may be (ordinary
 * watches). A missing node reads as {@code whenMissing}. Equal consecutive values are reported once.
 *
 * <pre>{@code
 * ConfigWatch<Integer> limit = new ConfigWatch<>(client, "/config/limit", b -> Integer.parseInt(utf8(b)), 100);
 * limit.values().subscribe(rateLimiter::setLimit);
 * }</pre>
 */
public final class ConfigWatch<T> {
    private final CorralClient client;
    private final String path;
    private final Function<byte[], T> decoder;
    private final T whenMissing;

    /**
     * @param decoder     turns the node's bytes (never null: null data reads as empty) into a value; a decoder
     *                    exception ends the stream with that error, so a bad value is never silently skipped
     * @param whenMissing the value while the node does not exist (not null)
     */
    public ConfigWatch(CorralClient client, String path, Function<byte[], T> decoder, T whenMissing) {
        this.client = client;
        this.path = path;
        this.decoder = decoder;
        this.whenMissing = java.util.Objects.requireNonNull(whenMissing, "whenMissing");
    }

    /**
     * The values; completes when the client is closed, errors with SESSIONEXPIRED when the session expires.
     * Nothing is created on the server; cancelling forgets the pending watch.
     */
    public Flux<T> values() {
        return client.watchData(path, ValueDelivery.EVERY)
                .retryWhen(Nodes.onConnectionLoss()) // starts over with the current value; repeats are dropped
                .map(this::decode)
                .distinctUntilChanged();
    }

    private T decode(NodeValue value) {
        if (!value.exists()) {
            return whenMissing;
        }
        T decoded = decoder.apply(value.data() == null ? new byte[0] : value.data());
        if (decoded == null) {
            throw new IllegalArgumentException("the decoder returned null for " + path);
        }
        return decoded;
    }
}
