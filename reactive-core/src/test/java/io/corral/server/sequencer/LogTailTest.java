package io.corral.server.sequencer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.log.LogEntry;
import io.corral.log.LogOptions;
import io.corral.log.TxnLog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restarted server's log tail waits in the log and is read one entry at a time as it is applied. */
class LogTailTest {
    private static final long EPOCH = 1L << 32;

    @TempDir
    Path dir;

    private TxnLog txnLog;

    @BeforeEach
    void open() {
        txnLog = TxnLog.open(dir, LogOptions.defaults().withForceSync(false));
        for (long i = 1; i <= 100; i++) {
            txnLog.append(new LogEntry(EPOCH + i, 1, (int) i, 0, 5, new byte[] {(byte) i}));
        }
        txnLog.sync();
    }

    @AfterEach
    void close() {
        txnLog.close();
    }

    private static List<Long> takeAll(LogTail tail) {
        List<Long> out = new ArrayList<>();
        while (tail.peek() != null) {
            out.add(tail.take().zxid());
        }
        return out;
    }

    private static List<Long> zxids(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void givesTheEntriesAfterTheSnapshotInOrderThenEnds() {
        try (LogTail tail = new LogTail(txnLog, EPOCH + 10, EPOCH + 100)) {
            assertThat(tail.end()).isEqualTo(EPOCH + 100);
            assertThat(tail.peek().zxid()).isEqualTo(EPOCH + 11);
            assertThat(tail.peek().zxid()).as("peek does not take").isEqualTo(EPOCH + 11);
            assertThat(takeAll(tail)).isEqualTo(zxids(EPOCH + 11, EPOCH + 100));
            assertThatThrownBy(tail::take).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void entriesAppendedAfterItsEndAreNotItsOwn() {
        try (LogTail tail = new LogTail(txnLog, EPOCH + 90, EPOCH + 100)) {
            txnLog.append(new LogEntry(EPOCH + 101, 1, 101, 0, 5, new byte[0]));
            assertThat(takeAll(tail)).isEqualTo(zxids(EPOCH + 91, EPOCH + 100));
        }
    }

    @Test
    void aTruncationByTheLeaderCutsIt() {
        try (LogTail tail = new LogTail(txnLog, 0, EPOCH + 100)) {
            for (int i = 0; i < 20; i++) {
                tail.take();
            }
            assertThat(tail.peek().zxid()).isEqualTo(EPOCH + 21);
            txnLog.truncateAfter(EPOCH + 60);
            tail.cutAfter(EPOCH + 60);
            txnLog.append(new LogEntry(2 * EPOCH + 1, 1, 1, 0, 5, new byte[0])); // the new leader's history goes on
            assertThat(tail.end()).isEqualTo(EPOCH + 60);
            assertThat(takeAll(tail)).isEqualTo(zxids(EPOCH + 21, EPOCH + 60));
        }
    }

    @Test
    void aCutBelowWhatWasTakenEndsItAtOnce() {
        try (LogTail tail = new LogTail(txnLog, 0, EPOCH + 100)) {
            tail.take();
            tail.take();
            tail.peek();
            tail.cutAfter(EPOCH + 1);
            assertThat(tail.peek()).isNull();
            assertThat(tail.end()).isEqualTo(EPOCH + 2);
        }
    }
}
