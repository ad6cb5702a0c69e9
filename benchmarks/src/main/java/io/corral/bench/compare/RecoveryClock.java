package io.corral.bench.compare;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each of N writer sessions wrote again after a fault: the first acknowledgement of a write that was sent
 * after the fault was complete, counted from the moment the fault began. Writes sent before that (even if answered
 * later) do not count, so a reply already on its way cannot pass for a recovery. Thread-safe: sessions report from
 * their own threads.
 */
final class RecoveryClock {
    /** Nanoseconds from the fault to each session's recovery, -1 for a session that did not recover. */
    record Recovery(int sessions, long[] recoveredNanos, long failedWrites) {
        int recovered() {
            int n = 0;
            for (long t : recoveredNanos) {
                n += t >= 0 ? 1 : 0;
            }
            return n;
        }

        /** Milliseconds until the first session wrote again, or null when none did. */
        Double firstMs() {
            long best = Long.MAX_VALUE;
            for (long t : recoveredNanos) {
                if (t >= 0) {
                    best = Math.min(best, t);
                }
            }
            return best == Long.MAX_VALUE ? null : best / 1e6;
        }

        /** Milliseconds until the last session wrote again, or null when one did not. */
        Double allMs() {
            long worst = 0;
            for (long t : recoveredNanos) {
                if (t < 0) {
                    return null;
                }
                worst = Math.max(worst, t);
            }
            return worst / 1e6;
        }
    }

    private final int sessions;
    /** Per session: when it recovered (System.nanoTime), 0 = not yet. */
    private final AtomicLongArray recoveredAt;
    private final CountDownLatch allRecovered;
    private volatile long faultAt;
    /** Writes sent at or after this instant count; none before the fault is complete. */
    private volatile long countFrom = Long.MAX_VALUE;

    RecoveryClock(int sessions) {
        if (sessions < 1) {
            throw new IllegalArgumentException("sessions " + sessions);
        }
        this.sessions = sessions;
        this.recoveredAt = new AtomicLongArray(sessions);
        this.allRecovered = new CountDownLatch(sessions);
    }

    /** The fault began at {@code began} and was complete at {@code complete} (System.nanoTime). Call once. */
    void faultComplete(long began, long complete) {
        if (countFrom != Long.MAX_VALUE) {
            throw new IllegalStateException("one fault per clock");
        }
        faultAt = began;
        countFrom = complete;
    }

    /** Session {@code session}'s write sent at {@code sent} was acknowledged at {@code at}. */
    void acknowledged(int session, long sent, long at) {
        if (sent >= countFrom && recoveredAt.compareAndSet(session, 0, at)) {
            allRecovered.countDown();
        }
    }

    /** Waits until every session recovered, or the timeout; true when all did. */
    boolean await(Duration timeout) throws InterruptedException {
        return allRecovered.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** What is known now; {@code failedWrites} is reported alongside. */
    Recovery recovery(long failedWrites) {
        long[] nanos = new long[sessions];
        for (int i = 0; i < sessions; i++) {
            long at = recoveredAt.get(i);
            nanos[i] = at == 0 ? -1 : at - faultAt;
        }
        return new Recovery(sessions, nanos, failedWrites);
    }
}
