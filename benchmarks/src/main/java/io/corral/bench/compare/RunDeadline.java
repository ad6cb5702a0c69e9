package io.corral.bench.compare;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A driver run's time limit: once past it the driver skips what is left, and its report says so. */
final class RunDeadline {
    private final long deadlineNanos;
    private final Consumer<String> log;
    private boolean reached;

    RunDeadline(double limitMinutes, Consumer<String> log) {
        this.deadlineNanos = System.nanoTime() + (long) (limitMinutes * 60e9);
        this.log = log;
    }

    /** Whether the limit has passed; logs it the first time. */
    boolean passed() {
        if (System.nanoTime() > deadlineNanos) {
            if (!reached) {
                log.accept("time limit reached: skipping the rest");
            }
            reached = true;
            return true;
        }
        return false;
    }

    /** Whether {@link #passed()} ever said so: some figures are missing. */
    boolean reached() {
        return reached;
    }

    /** Whole seconds until the limit (negative once past it). */
    long secondsLeft() {
        return TimeUnit.NANOSECONDS.toSeconds(deadlineNanos - System.nanoTime());
    }
}
