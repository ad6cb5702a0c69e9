package io.corral.client;

import reactor.core.publisher.Mono;

/**
 * The result of a read that left a one-shot watch: the value read and a Mono that emits the event that fires the
 * watch (at most once). The Mono errors with SESSIONEXPIRED if the session ends first, and with
 * {@link ClientClosedException} if the client is closed. Cancelling it forgets the watch on the client side.
 */
public record Watched<T>(T value, Mono<WatchEvent> change) {
}
