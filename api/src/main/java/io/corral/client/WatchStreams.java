package io.corral.client;

import java.util.List;

import io.corral.protocol.ErrorCode;
import io.corral.protocol.Stat;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Streams of successive values built from one-shot watches: read with a watch, emit, wait for the watch to fire,
 * read again. Because each read sets the next watch, no change after a read goes unnoticed. A read that the
 * connection took down with it (CONNECTIONLOSS) is sent again on the next connection, so the streams carry on over
 * a failover; a client closed while a read is in flight ends them normally, as it ends the watches.
 */
final class WatchStreams {
    private WatchStreams() {
    }

    static Flux<NodeValue> data(CorralClient client, String path) {
        return readData(client, path)
                .expand(step -> step.change().flatMap(event -> readData(client, path)))
                .map(Watched::value)
                .distinctUntilChanged(v -> v, NodeValue::sameAs);
    }

    /** Re-sends a read lost with its connection (it waits for the next one); a close ends the stream normally. */
    static <T> Mono<T> resilient(Mono<T> read) {
        return read.retryWhen(Retry.indefinitely()
                        .filter(e -> KeeperErrorException.hasCode(e, ErrorCode.CONNECTION_LOSS)))
                .onErrorResume(ClientClosedException.class, e -> Mono.empty());
    }

    private static Mono<Watched<NodeValue>> readData(CorralClient client, String path) {
        return resilient(client.getDataAndWatch(path))
                .map(w -> new Watched<>(new NodeValue(path, w.value().data(), w.value().stat()), w.change()))
                .onErrorResume(e -> KeeperErrorException.hasCode(e, ErrorCode.NO_NODE),
                        e -> resilient(client.existsAndWatch(path)).flatMap(w -> w.value().isPresent()
                                ? readData(client, path) // created in between: read it
                                : Mono.just(new Watched<>(NodeValue.deleted(path), w.change()))));
    }

    static Flux<Children> children(CorralClient client, String path) {
        return readChildren(client, path)
                .expand(step -> step.change().flatMap(event -> readChildren(client, path)))
                .map(Watched::value)
                .distinctUntilChanged(c -> c, WatchStreams::sameChildren);
    }

    private static Mono<Watched<Children>> readChildren(CorralClient client, String path) {
        return resilient(client.getChildrenAndWatch(path))
                .onErrorResume(e -> KeeperErrorException.hasCode(e, ErrorCode.NO_NODE),
                        e -> resilient(client.existsAndWatch(path)).flatMap(w -> w.value().isPresent()
                                ? readChildren(client, path)
                                : Mono.just(new Watched<>(new Children(List.of(), null), w.change()))));
    }

    private static boolean sameChildren(Children a, Children b) {
        Stat sa = a.stat();
        Stat sb = b.stat();
        if (sa == null || sb == null) {
            return sa == sb;
        }
        return sa.czxid() == sb.czxid() && sa.pzxid() == sb.pzxid() && sa.cversion() == sb.cversion();
    }

}
