package io.corral.server.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.log.LogEntry;
import io.corral.log.LogOptions;
import io.corral.log.TxnLog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LogStorage#readAfter} streams: the durable entries from the log, then those still in flight to it, in
 * order and without a gap whatever the log writer does between two steps, up to the end the history had when the
 * iterator was made.
 */
class LogStorageTest {
    private static final long EPOCH = 1L << 32;

    @TempDir
    Path dir;

    private TxnLog txnLog;
    private LogAppender appender;
    private LogStorage storage;

    private static LogEntry entry(long zxid) {
        return new LogEntry(zxid, 7, (int) zxid, 1000 + zxid, 5, ("txn-" + zxid).getBytes(StandardCharsets.UTF_8));
    }

    /** A log holding zxids 1..n of epoch 1, durable, and the storage over it. */
    private void open(int n) {
        txnLog = TxnLog.open(dir.resolve("txnlog"), LogOptions.defaults().withForceSync(false));
        for (long i = 1; i <= n; i++) {
            txnLog.append(entry(EPOCH + i));
        }
        txnLog.sync();
        appender = new LogAppender(txnLog, txnLog.lastZxid(), () -> { });
        storage = new LogStorage(appender, new EpochFiles(dir), 0);
    }

    @AfterEach
    void close() {
        if (appender != null) {
            appender.close();
        }
        if (txnLog != null) {
            txnLog.close();
        }
    }

    /** What the sequencer does when it appends: to the writer, and to the storage's entries in flight. */
    private void append(long zxid) {
        LogEntry e = entry(zxid);
        appender.append(e);
        storage.appended(e);
    }

    /** What the sequencer's poll does: tells the storage what the writer has made durable so far. */
    private void poll() {
        storage.durableUpTo(appender.durableZxid());
    }

    private static List<Long> zxids(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void readsTheDurableLogLazilyAndIsClosed() {
        open(3000);
        LogStorage.Tail all = storage.readAfter(0);
        List<Long> seen = new ArrayList<>();
        all.forEachRemaining(e -> seen.add(e.zxid()));
        all.close();
        assertThat(seen).isEqualTo(zxids(EPOCH + 1, EPOCH + 3000));

        try (LogStorage.Tail some = storage.readAfter(EPOCH + 1500)) {
            assertThat(some.next().zxid()).isEqualTo(EPOCH + 1501);
            assertThat(some.next().zxid()).isEqualTo(EPOCH + 1502);
        }
        try (LogStorage.Tail none = storage.readAfter(EPOCH + 3000)) {
            assertThat(none.hasNext()).isFalse();
        }
    }

    @Test
    void movesFromTheLogToTheEntriesInFlightWithoutAGapWhileTheWriterMakesThemDurable() {
        open(2000);
        for (long i = 2001; i <= 6000; i++) {
            append(EPOCH + i);
        }
        List<Long> seen = new ArrayList<>();
        try (LogStorage.Tail tail = storage.readAfter(EPOCH + 1000)) {
            while (tail.hasNext()) {
                seen.add(tail.next().zxid());
                if (seen.size() % 100 == 0) {
                    poll(); // between two steps the writer may have made any part of the rest durable
                }
                if (seen.size() == 2500) {
                    for (long i = 6001; i <= 6500; i++) {
                        append(EPOCH + i); // after the iterator was made: beyond its end
                    }
                }
            }
        }
        assertThat(seen).isEqualTo(zxids(EPOCH + 1001, EPOCH + 6000));

        List<Long> again = new ArrayList<>();
        try (LogStorage.Tail tail = storage.readAfter(EPOCH + 5990)) {
            tail.forEachRemaining(e -> again.add(e.zxid()));
        }
        assertThat(again).isEqualTo(zxids(EPOCH + 5991, EPOCH + 6500));
    }

    @Test
    void entriesOnlyInFlightAreReadWithoutTheLog() {
        open(10);
        append(EPOCH + 11);
        append(EPOCH + 12);
        List<Long> seen = new ArrayList<>();
        try (LogStorage.Tail tail = storage.readAfter(EPOCH + 10)) {
            tail.forEachRemaining(e -> seen.add(e.zxid()));
        }
        assertThat(seen).containsExactly(EPOCH + 11, EPOCH + 12);
    }
}
