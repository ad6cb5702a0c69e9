package io.corral.bench.compare;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each of N writer sessions wrote again after a fault: the first acknowledgement of a write that was sent
 * after the fault was complete, counted from the moment the fault began. Writes sent before that (even if answered
 * later) do not count, so a reply already on its way cannot pass for a recovery. Also per session, from the clock's
 * start (just before the fault) until its recovery: the longest time between two of its acknowledgements, and
 * whether it lost its connection. Thread-safe: sessions report from their own threads.
 */
final class RecoveryClock {
    /**
     * Nanoseconds from the fault to each session's recovery, -1 for a session that did not recover; each session's
     * longest pause between acknowledgements until then, and whether it was disconnected.
     */
    record Recovery(int sessions, long[] recoveredNanos, long failedWrites, long[] longestPauseNanos,
                    boolean[] disconnected) {
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

        /** Sessions that lost their connection during the fault. */
        int sessionsDisconnected() {
            int n = 0;
            for (boolean d : disconnected) {
                n += d ? 1 : 0;
            }
            return n;
        }

        /** Milliseconds: the longest pause of a session that kept its connection; null when none kept it. */
        Double longestPauseConnectedMs() {
            long worst = -1;
            for (int i = 0; i < sessions; i++) {
                if (!disconnected[i]) {
                    worst = Math.max(worst, longestPauseNanos[i]);
                }
            }
            return worst < 0 ? null : worst / 1e6;
        }
    }

    private final int sessions;
    /** Per session: when it recovered (System.nanoTime), 0 = not yet. */
    private final AtomicLongArray recoveredAt;
    private final AtomicLongArray longestPause;
    private final AtomicIntegerArray disconnected;
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
        this.longestPause = new AtomicLongArray(sessions);
        this.disconnected = new AtomicIntegerArray(sessions);
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

    /**
     * Session {@code session}'s write sent at {@code sent} was acknowledged at {@code at}; its acknowledgement before
     * was at {@code previous} (0: none).
     */
    void acknowledged(int session, long sent, long at, long previous) {
        if (previous != 0 && recoveredAt.get(session) == 0) {
            longestPause.accumulateAndGet(session, at - previous, Math::max);
        }
        if (sent >= countFrom && recoveredAt.compareAndSet(session, 0, at)) {
            allRecovered.countDown();
        }
    }

    /** Session {@code session} lost its connection. */
    void disconnected(int session) {
        disconnected.set(session, 1);
    }

    /** Waits until every session recovered, or the timeout; true when all did. */
    boolean await(Duration timeout) throws InterruptedException {
        return allRecovered.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** What is known now; {@code failedWrites} is reported alongside. */
    Recovery recovery(long failedWrites) {
        long[] nanos = new long[sessions];
        long[] pauses = new long[sessions];
        boolean[] lost = new boolean[sessions];
        for (int i = 0; i < sessions; i++) {
            long at = recoveredAt.get(i);
            nanos[i] = at == 0 ? -1 : at - faultAt;
            pauses[i] = longestPause.get(i);
            lost[i] = disconnected.get(i) != 0;
        }
        return new Recovery(sessions, nanos, failedWrites, pauses, lost);
    }
}
