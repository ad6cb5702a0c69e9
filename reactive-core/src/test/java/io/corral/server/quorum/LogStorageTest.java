package io.corral.server.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.log.CloseableIterator;
import io.corral.log.LogEntry;
import io.corral.log.LogOptions;
import io.corral.log.TxnLog;

import io.corral.server.config.DataDirectories;
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
 * order and without a gap whatever the log writer made durable between two steps (a caller reads a batch per round
 * of the sequencer's loop), up to the end the history had when the iterator was made. The writer here is the test:
 * it says what is durable, so every interleaving is the one the test means.
 */
class LogStorageTest {
    private static final long EPOCH = 1L << 32;

    @TempDir
    Path dir;

    private TxnLog txnLog;
    private ManualLog log;
    private LogStorage storage;

    /** The Chronicle log, with durability decided by the test instead of a writer thread. */
    private static final class ManualLog implements ReplicaLog {
        private final TxnLog txnLog;
        private long durable;
        private long appended;

        ManualLog(TxnLog txnLog) {
            this.txnLog = txnLog;
            this.durable = txnLog.lastZxid();
            this.appended = durable;
        }

        @Override
        public void append(LogEntry entry) {
            txnLog.append(entry); // readers see it at once, durable or not
            appended = entry.zxid();
        }

        @Override
        public long durableZxid() {
            return durable;
        }

        @Override
        public long appendedZxid() {
            return appended;
        }

        @Override
        public boolean hasRoom() {
            return true;
        }

        @Override
        public void truncateAfter(long zxid) {
            txnLog.truncateAfter(zxid);
        }

        @Override
        public CloseableIterator<LogEntry> readFrom(long zxid) {
            return txnLog.readFrom(zxid);
        }

        @Override
        public long firstZxid() {
            return txnLog.firstZxid();
        }

        @Override
        public long lastZxid() {
            return txnLog.lastZxid();
        }

        @Override
        public void close() {
        }
    }

    private static LogEntry entry(long zxid) {
        return new LogEntry(zxid, 7, (int) zxid, 1000 + zxid, 5, ("txn-" + zxid).getBytes(StandardCharsets.UTF_8));
    }

    /** A log holding zxids 1..n of epoch 1, durable, and the storage over it. */
    private void open(int n) {
        txnLog = TxnLog.open(dir.resolve(DataDirectories.TXN_LOG), LogOptions.defaults().withForceSync(false));
        for (long i = 1; i <= n; i++) {
            txnLog.append(entry(EPOCH + i));
        }
        txnLog.sync();
        log = new ManualLog(txnLog);
        storage = new LogStorage(log, new EpochFile(dir), 0);
    }

    @AfterEach
    void close() {
        if (txnLog != null) {
            txnLog.close();
        }
    }

    /** What the shell does when it appends: to the log's writer, and to the storage's entries in flight. */
    private void append(long from, long to) {
        for (long z = from; z <= to; z++) {
            LogEntry e = entry(z);
            log.append(e);
            storage.appended(e);
        }
    }

    /** The writer made the log durable up to {@code zxid}, and the shell's poll told the storage. */
    private void durable(long zxid) {
        log.durable = zxid;
        storage.durableUpTo(zxid);
    }

    private static List<Long> zxids(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void readsTheDurableLogLazilyAndIsClosed() {
        open(3000);
        List<Long> seen = new ArrayList<>();
        try (LogStorage.Tail all = storage.readAfter(0)) {
            all.forEachRemaining(e -> seen.add(e.zxid()));
        }
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
    void entriesMadeDurableWhileTheLogIsReadAreNotSkipped() {
        open(2000);
        append(EPOCH + 2001, EPOCH + 6000);
        List<Long> seen = new ArrayList<>();
        try (LogStorage.Tail tail = storage.readAfter(EPOCH + 1000)) {
            while (tail.hasNext()) {
                seen.add(tail.next().zxid());
                if (seen.size() == 500) {
                    durable(EPOCH + 4000); // between two batches: they leave the entries in flight
                }
                if (seen.size() == 3500) {
                    durable(EPOCH + 5000);
                    append(EPOCH + 6001, EPOCH + 6500); // after the iterator was made: beyond its end
                }
            }
        }
        assertThat(seen).isEqualTo(zxids(EPOCH + 1001, EPOCH + 6000));
    }

    @Test
    void entriesInFlightComeAfterTheDurableOnesAndStayWhileTheWriterCatchesUp() {
        open(10);
        append(EPOCH + 11, EPOCH + 20);
        List<Long> seen = new ArrayList<>();
        try (LogStorage.Tail tail = storage.readAfter(EPOCH + 5)) {
            for (int i = 0; i < 7; i++) {
                seen.add(tail.next().zxid()); // 6..10 from the log, then 11 and 12 in flight
            }
            durable(EPOCH + 20); // every entry still to come leaves the entries in flight
            tail.forEachRemaining(e -> seen.add(e.zxid()));
        }
        assertThat(seen).isEqualTo(zxids(EPOCH + 6, EPOCH + 20));
    }
}
