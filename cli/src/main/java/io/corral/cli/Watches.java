package io.corral.cli;

import io.corral.client.Watched;
import reactor.core.publisher.Mono;

/** Reads that leave a one-shot watch, entered in the shell's watches when the read's answer arrives. */
final class Watches {
    private Watches() {
    }

    /**
     * The read, with its watch recorded as soon as the answer arrives (on the client's thread, before any later
     * notification is handled) so that the event it fires is recognised. The change's subscription is kept so that
     * removewatches can make the client forget the watch.
     */
    static <T> Mono<Watched<T>> arm(Session session, ShellWatches.Kind kind, String path, Mono<Watched<T>> read) {
        return read.doOnNext(w -> session.watches.add(kind, path, w.change().subscribe(e -> { }, e -> { })));
    }
}
