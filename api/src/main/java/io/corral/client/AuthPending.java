package io.corral.client;

import reactor.core.publisher.MonoSink;

/** An auth packet awaiting its reply (xid -4; matched in order among auth replies). Actor-confined. */
record AuthPending(AuthInfo info, MonoSink<Void> sink) {

    void succeed() {
        if (sink != null) {
            sink.success();
        }
    }

    void fail(Throwable error) {
        if (sink != null) {
            sink.error(error);
        }
    }
}
