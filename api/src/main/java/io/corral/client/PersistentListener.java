package io.corral.client;

import reactor.core.publisher.FluxSink;

/** One subscriber of a {@link CorralClient#watch} stream: the server path, what it wants, where events go. */
final class PersistentListener {
    final String serverPath;
    final WatchMode mode;
    final FluxSink<WatchEvent> sink;
    private final WatchBuffer buffer;
    private boolean overflowed;

    PersistentListener(String serverPath, WatchMode mode, FluxSink<WatchEvent> sink, WatchBuffer buffer) {
        this.serverPath = serverPath;
        this.mode = mode;
        this.sink = sink;
        this.buffer = buffer;
    }

    void offer(WatchEvent event) {
        if (overflowed || !mode.accepts(event.type())) {
            return;
        }
        if (buffer.tryAdd()) {
            sink.next(event);
        } else {
            overflowed = true;
            sink.error(buffer.overflow()); // delivered after the buffered events; removes the listener
        }
    }
}
