package io.corral.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static io.corral.log.LogTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A machine crash, simulated: the disk keeps the Chronicle files as they were at the journal's last checkpoint (a
 * copy taken then) and the journal as it was synced (a copy taken later). {@link TxnLog#open} must put back every
 * synced entry, and never one a truncation dropped.
 */
class JournalRecoveryTest {

    @TempDir
    Path live;
    @TempDir
    Path disk;

    final AtomicLong clock = new AtomicLong(T0);

    TxnLog open(Path dir) {
        return TxnLog.open(dir, options(clock));
    }

    /** What a machine crash leaves: Chronicle's files from {@code chronicle}, the journal from {@code journal}. */
    private void crashImage(Path chronicle, Path journal) throws IOException {
        copyChronicleFiles(chronicle, disk);
        Files.copy(journal.resolve(SyncJournal.FILE), disk.resolve(SyncJournal.FILE), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void copyChronicleFiles(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(f -> f.getFileName().toString().contains(".cq4")).toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * Syncs zxids 1..checkpointed and closes the log (a checkpoint), syncs the rest up to {@code last} through the
     * journal only, and leaves on {@code disk} what a machine crash then would.
     */
    private void crashAfterTheCheckpointAt(long checkpointed, long last) throws IOException {
        Path atCheckpoint = Files.createDirectory(disk.resolve("checkpoint"));
        try (TxnLog log = open(live)) {
            appendAndSync(log, 1, checkpointed);
        }
        copyChronicleFiles(live, atCheckpoint);
        try (TxnLog log = open(live)) {
            appendAndSync(log, checkpointed + 1, last);
            crashImage(atCheckpoint, live);
        }
    }

    private static void appendAndSync(TxnLog log, long from, long to) {
        for (long z = from; z <= to; z++) {
            log.append(entry(z));
            log.sync();
        }
    }

    /**
     * The periodic checkpoint, as the log writer drives it between batches: the file appended to is forced early on
     * a thread of its own, then the checkpoint moves the journal on; entries synced after it come back from the
     * journal after a crash.
     */
    @Test
    void aPeriodicCheckpointBetweenBatchesMovesTheJournalOn() throws Exception {
        try (TxnLog log = open(live)) {
            appendAndSync(log, 1, 20);
            assertThat(SyncJournal.checkpointIn(live)).as("the first file's start forced at once").isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                if (log.maintenanceDue()) {
                    log.betweenBatches();
                }
                return SyncJournal.checkpointIn(live) == 20;
            });
            Path atCheckpoint = Files.createDirectory(disk.resolve("checkpoint"));
            copyChronicleFiles(live, atCheckpoint);
            appendAndSync(log, 21, 30);
            crashImage(atCheckpoint, live);
        }
        try (TxnLog log = open(disk)) {
            assertThat(zxids(readAll(log, 0))).isEqualTo(LongStream.rangeClosed(1, 30).boxed().toList());
        }
    }

    @Test
    void entriesSyncedAfterTheCheckpointComeBackFromTheJournal() throws Exception {
        crashAfterTheCheckpointAt(50, 100);
        try (LogInspector inspector = LogInspector.open(disk)) { // the offline tools see what the server will do
            assertThat(inspector.lastZxid()).isEqualTo(50);
            assertThat(inspector.journalTail()).startsWith("50 synced txn(s), zxids 0x33..0x64");
        }
        ListAppender<ILoggingEvent> logs = captureLogs(TxnLog.class);
        try (TxnLog log = open(disk)) {
            assertThat(log.lastZxid()).isEqualTo(100);
            assertThat(readAll(log, 0)).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).mapToObj(LogTestSupport::entry).toList());
            assertThat(warnings(logs)).singleElement().asString().contains("50 entries after zxid 0x32");
            log.append(entry(101));
            log.sync();
        } finally {
            stopCapture(TxnLog.class, logs);
        }
        try (TxnLog log = open(disk)) {
            assertThat(zxids(readAll(log, 0))).containsExactlyElementsOf(LongStream.rangeClosed(1, 101).boxed().toList());
        }
        try (LogInspector inspector = LogInspector.open(disk)) {
            assertThat(inspector.journalTail()).isNull();
        }
    }

    @Test
    void aJournalRecordCutShortEndsTheReplay() throws Exception {
        crashAfterTheCheckpointAt(10, 20);
        // the sync of zxid 20 cut short: its record's last bytes never reached the disk
        long recordOf20 = SyncJournal.HEADER_SIZE + 9L * (SyncJournal.RECORD_OVERHEAD + entryLength(11));
        try (FileChannel ch = FileChannel.open(disk.resolve(SyncJournal.FILE), StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[8]), recordOf20 + SyncJournal.RECORD_OVERHEAD + entryLength(20) - 8);
        }
        try (TxnLog log = open(disk)) {
            assertThat(zxids(readAll(log, 0))).containsExactlyElementsOf(LongStream.rangeClosed(1, 19).boxed().toList());
        }
    }

    private static int entryLength(long zxid) {
        return EntryCodec.ENTRY_OVERHEAD + entry(zxid).body().length;
    }

    @Test
    void entriesATruncationDroppedNeverComeBack() throws Exception {
        try (TxnLog log = open(live)) {
            appendAndSync(log, 1, 20);
            log.truncateAfter(10);
            // the disk as the page cache has it: the files and the journal as they are now
            copyChronicleFiles(live, disk);
            Files.copy(live.resolve(SyncJournal.FILE), disk.resolve(SyncJournal.FILE));
        }
        try (TxnLog log = open(disk)) {
            assertThat(log.lastZxid()).isEqualTo(10);
            assertThat(zxids(readAll(log, 0))).containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
        }
    }

    @Test
    void aDamagedEntryAfterTheCheckpointIsRebuiltFromTheJournal() throws Exception {
        try (TxnLog log = open(live)) {
            appendAndSync(log, 1, 40);
        }
        try (TxnLog log = open(live)) {
            appendAndSync(log, 41, 80);
            copyChronicleFiles(live, disk);
            Files.copy(live.resolve(SyncJournal.FILE), disk.resolve(SyncJournal.FILE));
        }
        // a page of the mapped file half written back: entry 60 damaged, later ones whole
        Excerpt sixtieth = excerpts(disk).get(59);
        scribble(sixtieth.file(), sixtieth.position() + sixtieth.length() - 5, new byte[]{(byte) 0xEE});
        try (TxnLog log = open(disk)) {
            assertThat(readAll(log, 0)).containsExactlyElementsOf(LongStream.rangeClosed(1, 80).mapToObj(LogTestSupport::entry).toList());
        }
        try (TxnLog log = open(disk)) {
            assertThat(zxids(readAll(log, 0))).containsExactlyElementsOf(LongStream.rangeClosed(1, 80).boxed().toList());
        }
    }

    @Test
    void aFailedLogLeavesItsJournalToPutBackWhatTheFilesLost() throws Exception {
        try (TxnLog log = open(live)) {
            appendAndSync(log, 1, 40);
        }
        try (TxnLog log = open(live)) {
            appendAndSync(log, 41, 80);
            // a write to the mapped file that did not land (its page could not be allocated on a full disk), and
            // the fault reported to the writer afterwards
            Excerpt sixtieth = excerpts(live).get(59);
            scribble(sixtieth.file(), sixtieth.position() + sixtieth.length() - 5, new byte[]{(byte) 0xEE});
            log.failed(new InternalError("a fault occurred in an unsafe memory access operation"));
            assertThat(log.failure()).isInstanceOf(InternalError.class);
            assertThatThrownBy(() -> log.append(entry(81))).isInstanceOf(IllegalStateException.class)
                    .hasCauseInstanceOf(InternalError.class);
            assertThatThrownBy(log::sync).isInstanceOf(IllegalStateException.class);
        } // the close vouches for nothing: the journal still holds 41..80
        try (TxnLog log = open(live)) {
            assertThat(zxids(readAll(log, 0))).containsExactlyElementsOf(LongStream.rangeClosed(1, 80).boxed().toList());
        }
    }

    /**
     * A write to the mapped file that did not land, and a checkpoint before the fault reached the writer: the
     * checkpoint reads back what it is to vouch for, finds the entry bad, and fails the log instead; the journal
     * puts it back at the next open. Without the read-back the close checkpointed the bad entry, and the next open
     * had no whole copy of it.
     */
    @Test
    void aCheckpointReadsBackWhatItVouchesFor() throws Exception {
        try (TxnLog log = open(live)) {
            appendAndSync(log, 1, 40);
        }
        ListAppender<ILoggingEvent> logs = captureLogs(TxnLog.class);
        try (TxnLog log = open(live)) {
            appendAndSync(log, 41, 80);
            Excerpt sixtieth = excerpts(live).get(59);
            scribble(sixtieth.file(), sixtieth.position() + sixtieth.length() - 5, new byte[]{(byte) 0xEE});
        } finally {
            stopCapture(TxnLog.class, logs);
        }
        assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.ERROR).singleElement().asString()
                .contains("closed without a checkpoint");
        try (TxnLog log = open(live)) {
            assertThat(zxids(readAll(log, 0))).containsExactlyElementsOf(LongStream.rangeClosed(1, 80).boxed().toList());
        }
    }

    /** The same in the checkpoint a truncation begins with: the log fails, and the truncation is not made. */
    @Test
    void aTruncationWhoseCheckpointFindsADamagedEntryFailsTheLog() throws Exception {
        try (TxnLog log = open(live)) {
            appendAndSync(log, 1, 40);
        }
        try (TxnLog log = open(live)) {
            appendAndSync(log, 41, 50);
            Excerpt fortyFifth = excerpts(live).get(44);
            scribble(fortyFifth.file(), fortyFifth.position() + fortyFifth.length() - 5, new byte[]{(byte) 0xEE});
            assertThatThrownBy(() -> log.truncateAfter(42)).isInstanceOf(LogCorruptedException.class)
                    .hasMessageContaining("CRC32C mismatch").hasMessageContaining("zxid 0x2d");
            assertThat(log.failure()).isInstanceOf(LogCorruptedException.class);
            assertThatThrownBy(() -> log.append(entry(51))).isInstanceOf(IllegalStateException.class);
        }
        try (TxnLog log = open(live)) {
            assertThat(zxids(readAll(log, 0))).containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
        }
    }

    @Test
    void damageBeforeTheCheckpointIsStillAnError() throws Exception {
        try (TxnLog log = open(live)) {
            appendAndSync(log, 1, 40);
        }
        Excerpt twentieth = excerpts(live).get(19);
        scribble(twentieth.file(), twentieth.position() + twentieth.length() - 5, new byte[]{(byte) 0xEE});
        // covered by the index the close saved: found when read, and by the offline check, never repaired
        try (TxnLog log = open(live)) {
            assertThatThrownBy(() -> readAll(log, 0)).isInstanceOf(LogCorruptedException.class)
                    .hasMessageContaining("zxid 0x14");
        }
        assertThatThrownBy(() -> LogInspector.open(live)).isInstanceOf(LogCorruptedException.class)
                .hasMessageContaining("zxid 0x14");
        Files.delete(live.resolve(IndexCheckpoint.FILE));
        assertThatThrownBy(() -> open(live)).isInstanceOf(LogCorruptedException.class).hasMessageContaining("zxid 0x14");
    }

    @Test
    void filesThatLostWhatTheCheckpointVouchedForAreAnError() throws Exception {
        try (TxnLog log = open(live)) {
            appendAndSync(log, 1, 10);
        }
        List<Excerpt> excerpts = excerpts(live);
        Excerpt last = excerpts.get(excerpts.size() - 1);
        try (FileChannel ch = FileChannel.open(last.file(), StandardOpenOption.WRITE)) {
            ch.truncate(last.position() + last.length() / 2);
        }
        assertThatThrownBy(() -> open(live)).isInstanceOf(LogCorruptedException.class)
                .hasMessageContaining("held zxid 0xa durably");
    }

    @Test
    void withoutForceSyncTheJournalIsReplayedThenRemoved() throws Exception {
        crashAfterTheCheckpointAt(5, 9);
        try (TxnLog log = TxnLog.open(disk, options(clock).withForceSync(false))) {
            assertThat(zxids(readAll(log, 0))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            log.truncateAfter(7); // would contradict a journal kept without forceSync
        }
        assertThat(disk.resolve(SyncJournal.FILE)).doesNotExist();
        try (TxnLog log = open(disk)) {
            assertThat(zxids(readAll(log, 0))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        }
    }
}
