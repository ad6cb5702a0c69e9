package io.corral.server.net;

import org.slf4j.Logger;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WARN lines about bad clients, at most one per kind per second: a flood of garbage connections must not flood the
 * log. The next line of a kind says how many of that kind were left out. Thread-safe; never blocks.
 */
public final class RateLimitedWarnings {
    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final ConcurrentHashMap<String, Kind> kinds = new ConcurrentHashMap<>();
    private final long intervalNanos;

    public RateLimitedWarnings() {
        this(INTERVAL_NANOS);
    }

    RateLimitedWarnings(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    private static final class Kind {
        final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong suppressed = new AtomicLong();
    }

    /** Logs {@code message} at WARN unless a line of the same kind was logged less than the interval ago. */
    public void warn(Logger log, String kind, String message) {
        warn(log, kind, message, System.nanoTime());
    }

    /** As {@link #warn(Logger, String, String)} at the given {@link System#nanoTime()}; true when logged. */
    boolean warn(Logger log, String kind, String message, long now) {
        Kind k = kinds.computeIfAbsent(kind, any -> new Kind());
        long next = k.nextAt.get();
        if ((next != Long.MIN_VALUE && now - next < 0) || !k.nextAt.compareAndSet(next, now + intervalNanos)) {
            k.suppressed.incrementAndGet();
            return false;
        }
        long left = k.suppressed.getAndSet(0);
        if (left > 0) {
            log.warn("{} ({} more like it not logged since the last one)", message, left);
        } else {
            log.warn(message);
        }
        return true;
    }
}
