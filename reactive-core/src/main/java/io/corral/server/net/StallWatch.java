package io.corral.server.net;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Notices a client that takes none of its replies for the slow-reader timeout: its channel stayed unwritable that
 * long. A channel's writability flips thousands of times a second while a client reads a burst of large replies,
 * so this keeps a time instead of a timer per flip: at most one timer is pending, and when it fires early (the
 * channel flowed again meanwhile, then stalled anew) it is armed again for the rest. Time is the executor's (its
 * ticker), as its timers'. Event loop only.
 */
final class StallWatch {
    private final EventExecutor executor;
    private final long timeoutNanos;
    private final BooleanSupplier stillStalled;
    private final Runnable onTimeout;
    private boolean stalled;
    private long stalledSince;
    private ScheduledFuture<?> timer;

    /** {@code timeoutMs} of 0 or less: never. {@code stillStalled} is asked when the time is up. */
    StallWatch(EventExecutor executor, long timeoutMs, BooleanSupplier stillStalled, Runnable onTimeout) {
        this.executor = executor;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.stillStalled = stillStalled;
        this.onTimeout = onTimeout;
    }

    /** The channel cannot take more now; the clock starts unless it runs already. */
    void stalled() {
        if (timeoutNanos <= 0 || stalled) {
            return;
        }
        stalled = true;
        stalledSince = executor.ticker().nanoTime();
        arm(timeoutNanos);
    }

    /** The channel takes writes again. */
    void flowing() {
        stalled = false;
    }

    /** The connection is over: no timer stays behind. */
    void stop() {
        stalled = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void arm(long delayNanos) {
        if (timer == null) {
            timer = executor.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        timer = null;
        if (!stalled) {
            return;
        }
        long left = stalledSince + timeoutNanos - executor.ticker().nanoTime();
        if (left > 0) {
            arm(left);
            return;
        }
        stalled = false;
        if (stillStalled.getAsBoolean()) {
            onTimeout.run();
        }
    }
}
