package io.corral.log;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Options of a {@link TxnLog}.
 *
 * @param forceSync whether {@link TxnLog#sync()} forces appended entries to stable storage (ZooKeeper's
 *                  {@code forceSync}). When false, {@code sync()} only advances {@link TxnLog#durableZxid()}
 *                  and the OS writes pages back when it likes: a machine crash may lose acknowledged writes.
 *                  Truncation markers are forced either way.
 * @param rollCycle how often a new log file is started (see {@link LogRollCycle})
 * @param clock     wall-clock milliseconds; decides which cycle (file) an append lands in. The server passes
 *                  {@code System::currentTimeMillis} (what {@link #defaults()} does); tests pass a manual clock
 *                  to roll files without waiting.
 */
public record LogOptions(boolean forceSync, LogRollCycle rollCycle, LongSupplier clock) {

    public LogOptions {
        Objects.requireNonNull(rollCycle, "rollCycle");
        Objects.requireNonNull(clock, "clock");
    }

    /** forceSync on, one file per hour, the system clock. */
    public static LogOptions defaults() {
        return new LogOptions(true, LogRollCycle.HOURLY, System::currentTimeMillis);
    }

    public LogOptions withForceSync(boolean forceSync) {
        return new LogOptions(forceSync, rollCycle, clock);
    }

    public LogOptions withRollCycle(LogRollCycle rollCycle) {
        return new LogOptions(forceSync, rollCycle, clock);
    }

    public LogOptions withClock(LongSupplier clock) {
        return new LogOptions(forceSync, rollCycle, clock);
    }
}
