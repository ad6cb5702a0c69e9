package io.corral.server.ensemble;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.corral.server.ensemble.RegisterOp.Kind;
import io.corral.server.ensemble.RegisterOp.Outcome;

/**
 * Records register operations from any number of threads: {@link #invoke} when a request is about to be sent (its
 * time taken then), one completion on the returned {@link Pending} when the answer arrives (time taken then). The
 * capacity is fixed up front, so a runaway workload fails loudly instead of filling memory. An operation never
 * completed is in the {@link #history()} as one of unknown outcome.
 */
public final class HistoryRecorder {

    private final AtomicReferenceArray<Pending> entries;
    private final AtomicInteger count = new AtomicInteger();
    private final Map<String, String> initialValues = new ConcurrentHashMap<>();

    public HistoryRecorder(int capacity) {
        entries = new AtomicReferenceArray<>(capacity);
    }

    /** Declares the value {@code key} holds at version 0 before any recorded operation. */
    public void initial(String key, String value) {
        initialValues.put(key, value);
    }

    /** Starts an operation now. {@code argument} is the value written (null for reads). */
    public Pending invoke(int process, String key, Kind kind, String argument, int expectedVersion) {
        int index = count.getAndIncrement();
        if (index >= entries.length()) {
            count.decrementAndGet();
            throw new IllegalStateException("history full: " + entries.length() + " operations recorded");
        }
        Pending p = new Pending(process, key, kind, argument, expectedVersion, System.nanoTime());
        entries.set(index, p);
        return p;
    }

    /** How many operations have been invoked. */
    public int size() {
        return Math.min(count.get(), entries.length());
    }

    /** Everything recorded so far; operations still waiting for their answer have an unknown outcome. */
    public History history() {
        List<RegisterOp> ops = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            Pending p = entries.get(i);
            if (p != null) {
                ops.add(p.op());
            }
        }
        return new History(initialValues, ops);
    }

    /** An invoked operation; the first completion counts, later ones are ignored. */
    public static final class Pending {
        private final int process;
        private final String key;
        private final Kind kind;
        private final String argument;
        private final int expectedVersion;
        private final long invokeNanos;
        private final AtomicReference<RegisterOp> result = new AtomicReference<>();

        private Pending(int process, String key, Kind kind, String argument, int expectedVersion, long invokeNanos) {
            this.process = process;
            this.key = key;
            this.kind = kind;
            this.argument = argument;
            this.expectedVersion = expectedVersion;
            this.invokeNanos = invokeNanos;
        }

        /** A read answered: {@code value} at {@code version}, or absent when value is null. */
        public boolean read(String value, int version) {
            if (kind != Kind.READ) {
                throw new IllegalStateException("not a read: " + kind);
            }
            long now = System.nanoTime();
            return result.compareAndSet(null, RegisterOp.read(process, key, invokeNanos, now, value, version));
        }

        /** A write, cas or create applied, producing {@code version} (or {@link RegisterOp#NO_VERSION}). */
        public boolean applied(int version) {
            if (kind == Kind.READ) {
                throw new IllegalStateException("a read is answered with read()");
            }
            return complete(Outcome.OK, version);
        }

        /** A definite failure: NO_NODE, BAD_VERSION or NODE_EXISTS. Nothing changed. */
        public boolean failed(Outcome outcome) {
            if (outcome == Outcome.OK || outcome == Outcome.UNKNOWN) {
                throw new IllegalArgumentException("not a definite failure: " + outcome);
            }
            return complete(outcome, RegisterOp.NO_VERSION);
        }

        /** No answer that says whether it happened (connection loss, session expiry, timeout). */
        public boolean unknown() {
            return result.compareAndSet(null, op());
        }

        private boolean complete(Outcome outcome, int version) {
            long now = System.nanoTime();
            return result.compareAndSet(null, new RegisterOp(process, key, kind, argument, expectedVersion,
                    invokeNanos, now, outcome, null, outcome == Outcome.OK ? version : RegisterOp.NO_VERSION));
        }

        /** The recorded operation; of unknown outcome while no completion arrived. */
        RegisterOp op() {
            RegisterOp done = result.get();
            return done != null ? done : new RegisterOp(process, key, kind, argument, expectedVersion, invokeNanos,
                    RegisterOp.NEVER, Outcome.UNKNOWN, null, RegisterOp.NO_VERSION);
        }
    }
}
