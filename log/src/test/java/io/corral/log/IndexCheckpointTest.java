package io.corral.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static io.corral.log.LogTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The index a log saves beside its files ({@link IndexCheckpoint}): an open resumes after it and reads only the
 * excerpts that follow, and must then know exactly what an open that scans the whole log knows.
 */
class IndexCheckpointTest {

    @TempDir
    Path dir;
    @TempDir
    Path images;

    final AtomicLong clock = new AtomicLong(T0);

    TxnLog open(Path d) {
        return TxnLog.open(d, options(clock));
    }

    /** What a machine (or process) crash would leave of the open log in {@code dir} now: a copy of its files. */
    private Path crashImage(String name) throws IOException {
        Path image = Files.createDirectory(images.resolve(name));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().equals(TxnLog.LOCK_FILE)).toList()) {
                Files.copy(f, image.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return image;
    }

    /** A copy of {@code image} without the saved index: its open scans the whole log. */
    private Path withoutIndex(Path image) throws IOException {
        Path copy = Files.createDirectory(images.resolve(image.getFileName() + "-scanned"));
        try (Stream<Path> files = Files.list(image)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().equals(IndexCheckpoint.FILE)).toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }

    /** All an open knows that a reader or a purge can see. */
    private static String knowledge(TxnLog log) {
        StringBuilder sb = new StringBuilder();
        sb.append("last=").append(log.lastZxid()).append(" first=").append(log.firstZxid()).append(" files=")
                .append(log.files().stream().map(p -> p.getFileName().toString()).toList());
        sb.append(" all=").append(zxids(readAll(log, 0)));
        for (long from = 0; from <= log.lastZxid(); from += 97) {
            List<Long> after = zxids(readAll(log, from));
            sb.append(" from").append(from).append('=').append(after.isEmpty() ? "-" : after.get(0) + "+" + after.size());
        }
        return sb.toString();
    }

    private static void appendAndSync(TxnLog log, long from, long to) {
        for (long z = from; z <= to; z++) {
            log.append(entry(z));
            log.sync();
        }
    }

    /** Opens {@code image} and the same without its index; both must know the same; returns what they know. */
    private String sameAsAWholeScan(Path image, long expectRead) throws IOException {
        Path scanned = withoutIndex(image);
        String resumed;
        try (TxnLog log = open(image)) {
            assertThat(log.excerptsReadAtOpen).isEqualTo(expectRead);
            resumed = knowledge(log);
        }
        try (TxnLog log = open(scanned)) {
            assertThat(knowledge(log)).isEqualTo(resumed);
        }
        return resumed;
    }

    @Test
    void aReopenReadsOnlyWhatFollowsTheIndexSavedOnClose() throws IOException {
        try (TxnLog log = open(dir)) {
            appendAndSync(log, 1, 3000);
        }
        try (TxnLog log = open(dir)) {
            assertThat(log.excerptsReadAtOpen).isZero();
            assertThat(log.lastZxid()).isEqualTo(3000);
            appendAndSync(log, 3001, 3100);
            sameAsAWholeScan(crashImage("crash"), 100);
        }
        try (TxnLog log = open(dir)) {
            assertThat(log.excerptsReadAtOpen).isZero();
            assertThat(zxids(readAll(log, 0))).containsExactlyElementsOf(LongStream.rangeClosed(1, 3100).boxed().toList());
        }
    }

    @Test
    void checkpointsSaveItEverySoManyExcerpts() throws IOException {
        long many = IndexCheckpoint.EVERY_EXCERPTS + 10;
        try (TxnLog log = open(dir)) {
            for (long z = 1; z <= many; z++) {
                log.append(entry(z));
                if (z % 1000 == 0) {
                    log.sync();
                }
            }
            log.sync();
            Path notYet = crashImage("not-yet"); // the open's own save: everything since is read again
            // the first sync after Chronicle starts a file is a checkpoint, which saves the index by now
            clock.addAndGet(LogRollCycle.FIVE_MINUTELY.lengthMillis());
            log.append(entry(many + 1));
            log.sync();
            log.append(entry(many + 2));
            log.sync();
            String knows = sameAsAWholeScan(crashImage("crash"), 1);
            assertThat(knows).startsWith("last=" + (many + 2) + " first=1 ");
            sameAsAWholeScan(notYet, many);
        }
    }

    @Test
    void truncationsAndPurgesAfterTheSaveAreApplied() throws IOException {
        try (TxnLog log = open(dir)) {
            for (long z = 1; z <= 3000; z++) {
                if (z % 1000 == 0) {
                    clock.addAndGet(LogRollCycle.FIVE_MINUTELY.lengthMillis());
                }
                log.append(entry(z));
            }
        }
        try (TxnLog log = open(dir)) {
            appendAndSync(log, 3001, 3050);
            Path beforeMarker = crashImage("before-marker");
            log.truncateAfter(2500); // voids entries the saved index covers, by a marker after it
            appendAndSync(log, 2501, 2510);
            assertThat(log.purgeBefore(1500)).hasSize(1);
            // the marker's checkpoint saved the index just before the marker: it and the ten entries are read
            String knows = sameAsAWholeScan(crashImage("after-purge"), 11);
            assertThat(knows).startsWith("last=2510 first=1000 ");
            assertThat(knows).isEqualTo(knowledge(log));
            sameAsAWholeScan(beforeMarker, 50);
        }
    }

    @Test
    void aDamagedIndexOrOneOfAnotherLogMeansAWholeScan() throws IOException {
        try (TxnLog log = open(dir)) {
            appendAndSync(log, 1, 500);
        }
        Path damaged = crashImage("damaged");
        byte[] bytes = Files.readAllBytes(damaged.resolve(IndexCheckpoint.FILE));
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(damaged.resolve(IndexCheckpoint.FILE), bytes);
        sameAsAWholeScan(damaged, 500);

        Path cutShort = crashImage("cut-short");
        Files.write(cutShort.resolve(IndexCheckpoint.FILE), new byte[]{1, 2, 3});
        sameAsAWholeScan(cutShort, 500);

        // another log's index, whose last excerpt is not this log's
        Path other = images.resolve("other");
        try (TxnLog log = open(other)) {
            log.append(entry(1));
            log.append(entry(3));
        }
        Path foreign = crashImage("foreign");
        Files.copy(other.resolve(IndexCheckpoint.FILE), foreign.resolve(IndexCheckpoint.FILE),
                StandardCopyOption.REPLACE_EXISTING);
        sameAsAWholeScan(foreign, 500);
    }

    @Test
    void withoutForceSyncNothingIsSavedAndEveryOpenScansTheWholeLog() {
        LogOptions unforced = new LogOptions(false, LogRollCycle.FIVE_MINUTELY, clock::get,
                LogOptions.DEFAULT_MAX_ENTRY_BYTES);
        try (TxnLog log = TxnLog.open(dir, unforced)) {
            appendAndSync(log, 1, 300);
        }
        assertThat(dir.resolve(IndexCheckpoint.FILE)).doesNotExist();
        try (TxnLog log = TxnLog.open(dir, unforced)) {
            assertThat(log.excerptsReadAtOpen).isEqualTo(300);
        }
    }
}
