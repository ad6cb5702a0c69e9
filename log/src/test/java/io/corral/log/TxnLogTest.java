package io.corral.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static io.corral.log.LogTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TxnLogTest {

    @TempDir
    Path dir;

    final AtomicLong clock = new AtomicLong(T0);

    TxnLog open() {
        return TxnLog.open(dir, options(clock));
    }

    @Test
    void emptyLog() {
        try (TxnLog log = open()) {
            assertThat(log.lastZxid()).isZero();
            assertThat(log.durableZxid()).isZero();
            assertThat(log.firstZxid()).isZero();
            assertThat(readAll(log, 0)).isEmpty();
        }
        try (TxnLog log = open()) {
            assertThat(log.lastZxid()).isZero();
        }
    }

    @Test
    void manySyncedBatchesAcrossARollReadBackWhole() throws Exception {
        // many small batches, each synced through the journal, and a roll (a checkpoint) half way
        int n = 40_000;
        byte[] body = new byte[200];
        try (TxnLog log = open()) {
            for (int z = 1; z <= n; z++) {
                java.util.Arrays.fill(body, (byte) z);
                log.append(new LogEntry(z, z, z, T0, 1, body.clone()));
                if (z % 7 == 0) {
                    log.sync();
                }
                if (z == n / 2) {
                    clock.addAndGet(5 * 60_000); // the next append rolls to a new file
                }
            }
            log.sync();
        }
        try (TxnLog log = open()) {
            List<LogEntry> all = readAll(log, 0);
            assertThat(all).hasSize(n);
            for (int i = 0; i < n; i++) {
                LogEntry e = all.get(i);
                assertThat(e.zxid()).isEqualTo(i + 1);
                assertThat(e.body()).hasSize(200).containsOnly((byte) (i + 1));
            }
        }
    }

    @Test
    void appendAndReadFromAnyZxid() {
        // even zxids only, and more than one sample interval, so readFrom starts from samples and skips
        int n = LogIndex.SAMPLE_INTERVAL * 3 + 17;
        List<LogEntry> written = new ArrayList<>();
        try (TxnLog log = open()) {
            for (long z = 2; z <= 2L * n; z += 2) {
                LogEntry e = entry(z);
                log.append(e);
                written.add(e);
            }
            assertThat(readAll(log, 0)).isEqualTo(written);
            for (long from : new long[]{1, 2, 3, 1000, 2047, 2048, 2049, 4097, 2L * n - 1, 2L * n, 2L * n + 5}) {
                List<LogEntry> expected = written.stream().filter(e -> e.zxid() > from).toList();
                assertThat(readAll(log, from)).as("readFrom(%d)", from).isEqualTo(expected);
            }
            assertThat(log.firstZxid()).isEqualTo(2);
        }
    }

    @Test
    void bodiesOfAnySizeRoundTrip() {
        try (TxnLog log = open()) {
            byte[] big = new byte[300_000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31);
            }
            LogEntry empty = new LogEntry(1, -1, -2, Long.MAX_VALUE, Integer.MIN_VALUE, new byte[0]);
            LogEntry large = new LogEntry(2, 7, 8, 9, 10, big);
            log.append(empty);
            log.append(large);
            assertThat(readAll(log, 0)).containsExactly(empty, large);
        }
    }

    @Test
    void lastZxidSurvivesReopen() {
        try (TxnLog log = open()) {
            LongStream.rangeClosed(1, 50).forEach(z -> log.append(entry(z)));
            log.sync();
        }
        try (TxnLog log = open()) {
            assertThat(log.lastZxid()).isEqualTo(50);
            assertThat(log.durableZxid()).isEqualTo(50);
            assertThat(zxids(readAll(log, 45))).containsExactly(46L, 47L, 48L, 49L, 50L);
            log.append(entry(51));
        }
        try (TxnLog log = open()) {
            assertThat(log.lastZxid()).isEqualTo(51);
        }
    }

    @Test
    void appendsMustIncrease() {
        try (TxnLog log = open()) {
            log.append(entry(5));
            assertThatThrownBy(() -> log.append(entry(5))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.append(entry(4))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("0x4");
            assertThat(log.lastZxid()).isEqualTo(5);
        }
        try (TxnLog log = open()) {
            assertThatThrownBy(() -> log.append(entry(3))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.append(entry(0))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void syncMakesAppendedEntriesDurable() {
        try (TxnLog log = open()) {
            log.append(entry(1));
            log.append(entry(2));
            assertThat(log.lastZxid()).isEqualTo(2);
            assertThat(log.durableZxid()).isZero();
            log.sync();
            assertThat(log.durableZxid()).isEqualTo(2);
            assertThat(log.syncCount()).isEqualTo(1);
            log.sync(); // nothing new: no work
            assertThat(log.syncCount()).isEqualTo(1);
            log.append(entry(3));
            assertThat(log.durableZxid()).isEqualTo(2);
            log.sync();
            assertThat(log.durableZxid()).isEqualTo(3);
        }
    }

    @Test
    void withoutForceSyncDurableZxidStillAdvances() {
        try (TxnLog log = TxnLog.open(dir, options(clock).withForceSync(false))) {
            log.append(entry(1));
            log.sync();
            assertThat(log.durableZxid()).isEqualTo(1);
        }
        try (TxnLog log = open()) {
            assertThat(log.lastZxid()).isEqualTo(1);
        }
    }

    @Test
    void truncatedEntriesNeverReappear() {
        try (TxnLog log = open()) {
            LongStream.rangeClosed(1, 10).forEach(z -> log.append(entry(z)));
            log.sync();
            log.truncateAfter(6);
            assertThat(log.lastZxid()).isEqualTo(6);
            assertThat(log.durableZxid()).isEqualTo(6);
            assertThat(zxids(readAll(log, 0))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(readAll(log, 6)).isEmpty();
            // the new leader's history from 7 on differs from the dropped one
            log.append(other(7));
            log.append(other(8));
            log.sync();
            assertThat(readAll(log, 5)).containsExactly(entry(6), other(7), other(8));
        }
        try (TxnLog log = open()) {
            assertThat(log.lastZxid()).isEqualTo(8);
            List<LogEntry> all = readAll(log, 0);
            assertThat(zxids(all)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
            assertThat(all.subList(6, 8)).containsExactly(other(7), other(8));
            assertThat(readAll(log, 7)).containsExactly(other(8));
        }
    }

    @Test
    void truncateRepeatedlyBetweenEntriesAndToNothing() {
        try (TxnLog log = open()) {
            for (long z = 10; z <= 100; z += 10) {
                log.append(entry(z));
            }
            log.truncateAfter(75); // between entries: keeps 70
            assertThat(log.lastZxid()).isEqualTo(70);
            log.append(other(71));
            log.append(other(72));
            log.truncateAfter(71);
            assertThat(log.lastZxid()).isEqualTo(71);
            log.truncateAfter(500); // nothing above: no-op
            assertThat(log.lastZxid()).isEqualTo(71);
            log.append(entry(73));
        }
        try (TxnLog log = open()) {
            assertThat(zxids(readAll(log, 0))).containsExactly(10L, 20L, 30L, 40L, 50L, 60L, 70L, 71L, 73L);
            assertThat(readAll(log, 70).get(0)).isEqualTo(other(71));
            log.truncateAfter(0);
            assertThat(log.lastZxid()).isZero();
            assertThat(readAll(log, 0)).isEmpty();
            log.append(other(5));
        }
        try (TxnLog log = open()) {
            assertThat(log.lastZxid()).isEqualTo(5);
            assertThat(readAll(log, 0)).containsExactly(other(5));
            assertThat(log.firstZxid()).isEqualTo(5);
        }
    }

    @Test
    void truncationAcrossSamplesAndFiles() {
        try (TxnLog log = open()) {
            for (long z = 1; z <= 3000; z++) {
                if (z % 1000 == 0) {
                    clock.addAndGet(LogRollCycle.FIVE_MINUTELY.lengthMillis());
                }
                log.append(entry(z));
            }
            assertThat(log.files()).hasSize(4);
            log.truncateAfter(1500);
            assertThat(zxids(readAll(log, 1400))).containsExactlyElementsOf(LongStream.rangeClosed(1401, 1500).boxed().toList());
            log.append(other(1501));
        }
        try (TxnLog log = open()) {
            assertThat(log.lastZxid()).isEqualTo(1501);
            assertThat(readAll(log, 1499)).containsExactly(entry(1500), other(1501));
            assertThat(readAll(log, 0)).hasSize(1501);
        }
    }

    @Test
    void readersSeeLaterAppends() {
        try (TxnLog log = open()) {
            log.append(entry(1));
            try (CloseableIterator<LogEntry> it = log.readFrom(0)) {
                assertThat(it.next()).isEqualTo(entry(1));
                assertThat(it.hasNext()).isFalse();
                log.append(entry(2));
                assertThat(it.hasNext()).isTrue();
                assertThat(it.next()).isEqualTo(entry(2));
            }
        }
    }

    @Test
    void rollsFilesAndPurgesOldOnes() {
        try (TxnLog log = open()) {
            for (long z = 1; z <= 30; z++) {
                log.append(entry(z));
                if (z % 10 == 0) {
                    clock.addAndGet(LogRollCycle.FIVE_MINUTELY.lengthMillis());
                }
            }
            log.sync();
            List<Path> files = log.files();
            assertThat(files).hasSize(3).allMatch(Files::exists);

            assertThat(log.purgeBefore(9)).isEmpty(); // the first file still holds 10
            assertThat(log.purgeBefore(15)).containsExactly(files.get(0));
            assertThat(files.get(0)).doesNotExist();
            assertThat(log.firstZxid()).isEqualTo(11);
            assertThat(zxids(readAll(log, 0))).containsExactlyElementsOf(LongStream.rangeClosed(11, 30).boxed().toList());
            assertThat(zxids(readAll(log, 5))).first().isEqualTo(11L);
            assertThat(zxids(readAll(log, 25))).containsExactly(26L, 27L, 28L, 29L, 30L);

            // never the newest file, even when everything is older than the given zxid
            assertThat(log.purgeBefore(1000)).containsExactly(files.get(1));
            assertThat(files.get(2)).exists();
            log.append(entry(31));
        }
        try (TxnLog log = open()) {
            assertThat(log.firstZxid()).isEqualTo(21);
            assertThat(log.lastZxid()).isEqualTo(31);
            assertThat(zxids(readAll(log, 0))).containsExactlyElementsOf(LongStream.rangeClosed(21, 31).boxed().toList());
        }
    }

    @Test
    void checksumFailureInTheMiddleIsReported() throws Exception {
        try (TxnLog log = open()) {
            LongStream.rangeClosed(1, 10).forEach(z -> log.append(entry(z)));
        }
        Excerpt fifth = excerpts(dir).get(4);
        // flip the last byte of the body of zxid 5 (the CRC follows it)
        scribble(fifth.file(), fifth.position() + fifth.length() - 5, new byte[]{(byte) 0xEE});
        // the close saved the log's index: the open resumes after it, and the damage shows when the entry is read
        try (TxnLog log = open()) {
            assertThat(log.lastZxid()).isEqualTo(10);
            assertThatThrownBy(() -> readAll(log, 4))
                    .isInstanceOf(LogCorruptedException.class)
                    .hasMessageContaining(fifth.file().getFileName().toString())
                    .hasMessageContaining("zxid 0x5");
        }
        // the whole scan, without the saved index, stops the open
        Files.delete(dir.resolve(IndexCheckpoint.FILE));
        assertThatThrownBy(this::open)
                .isInstanceOf(LogCorruptedException.class)
                .hasMessageContaining(fifth.file().getFileName().toString())
                .hasMessageContaining("zxid 0x5")
                .satisfies(e -> {
                    LogCorruptedException lce = (LogCorruptedException) e;
                    assertThat(lce.file()).isEqualTo(fifth.file());
                    assertThat(lce.zxid()).isEqualTo(5);
                });
    }

    @Test
    void tornTailIsDroppedWithAWarning() throws Exception {
        try (TxnLog log = open()) {
            LongStream.rangeClosed(1, 10).forEach(z -> log.append(entry(z)));
        }
        forgetJournal(dir);
        List<Excerpt> excerpts = excerpts(dir);
        Excerpt last = excerpts.get(excerpts.size() - 1);
        // a crash after the header was completed but before the tail of the payload reached the disk
        scribble(last.file(), last.position() + last.length() - 6, new byte[6]);

        ListAppender<ILoggingEvent> logs = captureLogs(TxnLog.class);
        try (TxnLog log = open()) {
            assertThat(warnings(logs)).singleElement().asString()
                    .contains(last.file().toString()).contains("torn");
            assertThat(log.lastZxid()).isEqualTo(9);
            assertThat(zxids(readAll(log, 0))).containsExactlyElementsOf(LongStream.rangeClosed(1, 9).boxed().toList());
            log.append(other(10));
            log.append(entry(11));
        } finally {
            stopCapture(TxnLog.class, logs);
        }
        // the dropped excerpt is now in the middle of the file: it must stay dropped, without complaint
        ListAppender<ILoggingEvent> again = captureLogs(TxnLog.class);
        try (TxnLog log = open()) {
            assertThat(warnings(again)).isEmpty();
            assertThat(log.lastZxid()).isEqualTo(11);
            assertThat(readAll(log, 8)).containsExactly(entry(9), other(10), entry(11));
        } finally {
            stopCapture(TxnLog.class, again);
        }
    }

    @Test
    void tornTailByAShortFile() throws Exception {
        try (TxnLog log = open()) {
            LongStream.rangeClosed(1, 5).forEach(z -> log.append(entry(z)));
        }
        forgetJournal(dir);
        List<Excerpt> excerpts = excerpts(dir);
        Excerpt last = excerpts.get(excerpts.size() - 1);
        try (var ch = java.nio.channels.FileChannel.open(last.file(), java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(last.position() + last.length() / 2);
        }
        ListAppender<ILoggingEvent> logs = captureLogs(TxnLog.class);
        try (TxnLog log = open()) {
            assertThat(warnings(logs)).singleElement().asString().contains(last.file().toString());
            assertThat(log.lastZxid()).isEqualTo(4);
            log.append(entry(5));
        } finally {
            stopCapture(TxnLog.class, logs);
        }
        try (TxnLog log = open()) {
            assertThat(zxids(readAll(log, 0))).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }

    @Test
    void oneOpenLogPerDirectory() {
        try (TxnLog log = open()) {
            assertThatThrownBy(this::open).isInstanceOf(IllegalStateException.class).hasMessageContaining("already open");
            log.append(entry(1));
        }
        try (TxnLog log = open()) {
            assertThat(log.lastZxid()).isEqualTo(1);
        }
    }

    @Test
    void closedLogRefusesWork() {
        TxnLog log = open();
        log.close();
        log.close();
        assertThatThrownBy(() -> log.append(entry(1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> log.readFrom(0)).isInstanceOf(IllegalStateException.class);
    }

    static LogEntry other(long zxid) {
        return new LogEntry(zxid, 0xBEEF, 99, T0, 1, ("other-" + zxid).getBytes(StandardCharsets.UTF_8));
    }
}
