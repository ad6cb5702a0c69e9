package io.corral.log;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

/**
 * How often the log starts a new file. Files are the unit of {@link TxnLog#purgeBefore(long) purging}: a
 * shorter cycle lets old entries go sooner, a longer one makes fewer files. Each cycle holds at most 2^32
 * entries. The cycle of an existing log is fixed when it is first created; reopening with another choice keeps
 * the one on disk.
 */
public enum LogRollCycle {
    FIVE_MINUTELY(RollCycles.FIVE_MINUTELY),
    HALF_HOURLY(RollCycles.HALF_HOURLY),
    HOURLY(RollCycles.FAST_HOURLY),
    SIX_HOURLY(RollCycles.SIX_HOURLY),
    DAILY(RollCycles.FAST_DAILY);

    private final RollCycle chronicle;

    LogRollCycle(RollCycle chronicle) {
        this.chronicle = chronicle;
    }

    RollCycle chronicle() {
        return chronicle;
    }

    /** The length of one cycle in milliseconds. */
    public long lengthMillis() {
        return chronicle.lengthInMillis();
    }
}
