package io.corral.server.ops;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ZooKeeper's rate limit on the snapshot and restore admin commands: one command per interval (an interval of 0
 * lets every command through). Any thread.
 */
final class RateLimiter {
    private final long intervalNanos;
    private final AtomicLong lastAllowed;

    RateLimiter(long intervalMillis) {
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.lastAllowed = new AtomicLong(System.nanoTime() - intervalNanos);
    }

    /** Whether a command may run now; if so, the next must wait an interval. */
    boolean allow() {
        if (intervalNanos == 0) {
            return true;
        }
        long now = System.nanoTime();
        long last = lastAllowed.get();
        return now - last >= intervalNanos && lastAllowed.compareAndSet(last, now);
    }
}
