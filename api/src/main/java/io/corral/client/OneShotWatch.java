package io.corral.client;

import io.corral.protocol.ErrorCode;
import io.corral.protocol.OpCode;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A one-shot watch left by getData, exists or getChildren. Registered with the {@link WatchRegistry} when the read's
 * reply arrives (so it catches exactly the changes after that read), fired and forgotten by the first matching event.
 */
final class OneShotWatch {
    /** What the server watches: a data watch (existing node), an exist watch (missing node) or a child watch. */
    enum Kind { DATA, EXIST, CHILD }

    final String serverPath;
    private final Sinks.One<WatchEvent> sink = Sinks.one();
    Runnable onCancel = () -> { };

    OneShotWatch(String serverPath) {
        this.serverPath = serverPath;
    }

    /** Which kind the server registered for this reply of the read. */
    static Kind kindFor(int opCode, int err) {
        return switch (opCode) {
            case OpCode.GET_CHILDREN, OpCode.GET_CHILDREN2 -> Kind.CHILD;
            case OpCode.EXISTS -> err == ErrorCode.NO_NODE ? Kind.EXIST : Kind.DATA;
            default -> Kind.DATA;
        };
    }

    Mono<WatchEvent> mono() {
        return sink.asMono().doOnCancel(() -> onCancel.run());
    }

    void fire(WatchEvent event) {
        sink.tryEmitValue(event);
    }

    void fail(Throwable error) {
        sink.tryEmitError(error);
    }

    void complete() {
        sink.tryEmitEmpty();
    }
}
