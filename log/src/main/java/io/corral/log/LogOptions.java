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
 * @param maxEntryBytes the largest entry body the log must take (the server's {@code jute.maxbuffer}); it sets
 *                  the size of the blocks Chronicle maps the files in (see {@link #blockSize()})
 */
public record LogOptions(boolean forceSync, LogRollCycle rollCycle, LongSupplier clock, int maxEntryBytes) {
    /** ZooKeeper's default {@code jute.maxbuffer}. */
    public static final int DEFAULT_MAX_ENTRY_BYTES = 0xFFFFF;
    /** The smallest block: 8 MiB, mapped with Chronicle's overlap of a quarter, 10 MiB a mapping. */
    static final long MIN_BLOCK_SIZE = 8L << 20;

    public LogOptions {
        Objects.requireNonNull(rollCycle, "rollCycle");
        Objects.requireNonNull(clock, "clock");
        if (maxEntryBytes <= 0) {
            throw new IllegalArgumentException("maxEntryBytes must be positive: " + maxEntryBytes);
        }
    }

    /** forceSync on, one file per hour, the system clock, entries up to ZooKeeper's default jute.maxbuffer. */
    public static LogOptions defaults() {
        return new LogOptions(true, LogRollCycle.HOURLY, System::currentTimeMillis, DEFAULT_MAX_ENTRY_BYTES);
    }

    public LogOptions withForceSync(boolean forceSync) {
        return new LogOptions(forceSync, rollCycle, clock, maxEntryBytes);
    }

    public LogOptions withRollCycle(LogRollCycle rollCycle) {
        return new LogOptions(forceSync, rollCycle, clock, maxEntryBytes);
    }

    public LogOptions withClock(LongSupplier clock) {
        return new LogOptions(forceSync, rollCycle, clock, maxEntryBytes);
    }

    public LogOptions withMaxEntryBytes(int maxEntryBytes) {
        return new LogOptions(forceSync, rollCycle, clock, maxEntryBytes);
    }

    /**
     * The size of the blocks Chronicle maps a log file in. Every page of a mapped block that was written or read
     * stays in the process's resident set (file-backed) while the block is mapped, and Chronicle keeps the
     * appender's block, the one with the file's index and each open reader's mapped: its default of 64 MiB (80 MiB
     * with the overlap) put well over 100 MiB of log in the resident set. An entry must fit in the overlap into the
     * next block, a quarter of the block: so the smallest power of two of at least {@link #MIN_BLOCK_SIZE} whose
     * quarter holds an entry of {@code maxEntryBytes} and its framing.
     */
    public long blockSize() {
        long needed = 4L * (maxEntryBytes + EntryCodec.ENTRY_OVERHEAD + 4096L);
        long block = MIN_BLOCK_SIZE;
        while (block < needed) {
            block <<= 1;
        }
        return block;
    }
}
