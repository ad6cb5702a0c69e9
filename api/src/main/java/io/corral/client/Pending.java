package io.corral.client;

import io.corral.protocol.Record;
import reactor.core.publisher.MonoSink;

/**
 * One request from submission to reply. Lives in the client's waiting queue until there is a connection and room,
 * then in the in-flight queue until the reply with its xid arrives. Actor-confined.
 */
final class Pending {

    /** Where the outcome goes: a caller's MonoSink, or an internal continuation. */
    interface Outcome {
        void success(Object value);

        void error(Throwable error);

        static Outcome of(MonoSink<Object> sink) {
            return new Outcome() {
                @Override
                public void success(Object value) {
                    sink.success(value);
                }

                @Override
                public void error(Throwable error) {
                    sink.error(error);
                }
            };
        }

        /** For requests nobody waits for. */
        Outcome IGNORE = new Outcome() {
            @Override
            public void success(Object value) {
            }

            @Override
            public void error(Throwable error) {
            }
        };
    }

    final int opCode;
    /** The client's path (no chroot) for error messages; may be null. */
    final String path;
    final Record body;
    final ReplyDecoder decoder;
    final Outcome outcome;
    /** Registered on a successful reply of a read with watch = true; null otherwise. */
    final OneShotWatch watch;
    int xid;
    boolean cancelled;

    Pending(int opCode, String path, Record body, ReplyDecoder decoder, Outcome outcome, OneShotWatch watch) {
        this.opCode = opCode;
        this.path = path;
        this.body = body;
        this.decoder = decoder;
        this.outcome = outcome;
        this.watch = watch;
    }

    void succeed(Object value) {
        if (!cancelled) {
            outcome.success(value);
        }
    }

    void fail(Throwable error) {
        if (!cancelled) {
            outcome.error(error);
        }
    }
}
