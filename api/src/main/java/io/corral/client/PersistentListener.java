package io.corral.client;

import reactor.core.publisher.FluxSink;

/** One subscriber of a {@link CorralClient#watch} stream: the server path, what it wants, where events go. */
final class PersistentListener {
    final String serverPath;
    final WatchMode mode;
    final FluxSink<WatchEvent> sink;

    PersistentListener(String serverPath, WatchMode mode, FluxSink<WatchEvent> sink) {
        this.serverPath = serverPath;
        this.mode = mode;
        this.sink = sink;
    }

    void offer(WatchEvent event) {
        if (mode.accepts(event.type())) {
            sink.next(event);
        }
    }
}
