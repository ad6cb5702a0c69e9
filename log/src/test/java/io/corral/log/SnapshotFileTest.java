package io.corral.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static io.corral.log.LogTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotFileTest {

    @TempDir
    Path snapDir;

    @TempDir
    Path logDir;

    @Test
    void roundTrip() throws IOException {
        Path p = SnapshotFile.write(snapDir, 0x1_0000_002AL, out -> {
            out.writeUTF("/a/b");
            out.writeLong(42);
            out.write(new byte[100_000]);
            out.writeInt(-1);
            out.close(); // the writer may not close the file under us
        });
        assertThat(p.getFileName().toString()).isEqualTo("snapshot.000000010000002a");
        try (Stream<Path> files = Files.list(snapDir)) {
            assertThat(files).containsExactly(p); // no temp file left behind
        }
        Snapshot<String> s = SnapshotFile.readNewestValid(snapDir, in -> {
            assertThat(in.readUTF()).isEqualTo("/a/b");
            assertThat(in.readLong()).isEqualTo(42);
            assertThat(in.readNBytes(100_000)).hasSize(100_000).containsOnly(0);
            assertThat(in.readInt()).isEqualTo(-1);
            assertThat(in.read()).isEqualTo(-1); // the trailer is not part of the body
            assertThatThrownBy(in::readByte).isInstanceOf(EOFException.class);
            return "read";
        }).orElseThrow();
        assertThat(s.lastZxid()).isEqualTo(0x1_0000_002AL);
        assertThat(s.path()).isEqualTo(p);
        assertThat(s.content()).isEqualTo("read");
    }

    @Test
    void removesTheTemporaryFilesOfUnfinishedSnapshotsOnly() throws IOException {
        Path finished = SnapshotFile.write(snapDir, 7, out -> out.writeInt(7));
        Path unfinished = Files.write(snapDir.resolve(".snapshot.0000000000000009.123.tmp"), new byte[10]);
        Path unrelated = Files.write(snapDir.resolve("notes.tmp"), new byte[1]);

        assertThat(SnapshotFile.removeTemporaries(snapDir)).containsExactly(unfinished);

        try (Stream<Path> files = Files.list(snapDir)) {
            assertThat(files).containsExactlyInAnyOrder(finished, unrelated);
        }
    }

    @Test
    void listsNewestFirstByZxid() throws IOException {
        for (long z : new long[]{0x200, 0x1F, 0x1_0000_0000L, 5}) {
            SnapshotFile.write(snapDir, z, out -> out.writeLong(z));
        }
        Files.createFile(snapDir.resolve("snapshot.notHex"));
        Files.createFile(snapDir.resolve(".snapshot.0000000000000300.123.tmp"));
        assertThat(SnapshotFile.list(snapDir).stream().map(SnapshotFile::zxidOf))
                .containsExactly(0x1_0000_0000L, 0x200L, 0x1FL, 5L);
        assertThat(SnapshotFile.list(snapDir.resolve("missing"))).isEmpty();
        assertThat(SnapshotFile.readNewestValid(snapDir.resolve("missing"), DataInputStream::readLong)).isEmpty();
    }

    @Test
    void aCorruptNewestSnapshotFallsBackToThePreviousOne() throws IOException {
        SnapshotFile.write(snapDir, 10, out -> out.writeUTF("ten"));
        SnapshotFile.write(snapDir, 20, out -> out.writeUTF("twenty"));
        Path newest = SnapshotFile.write(snapDir, 30, out -> out.writeUTF("thirty"));
        scribble(newest, SnapshotFile.HEADER_SIZE + 3, new byte[]{'X'});

        ListAppender<ILoggingEvent> logs = captureLogs(SnapshotFile.class);
        try {
            Snapshot<String> s = SnapshotFile.readNewestValid(snapDir, in -> in.readUTF()).orElseThrow();
            assertThat(s.lastZxid()).isEqualTo(20);
            assertThat(s.content()).isEqualTo("twenty");
            assertThat(warnings(logs)).singleElement().asString().contains(newest.toString()).contains("CRC32C");
        } finally {
            stopCapture(SnapshotFile.class, logs);
        }
    }

    @Test
    void aSnapshotTheReaderCannotReadThoughItsChecksumMatchesIsAnError() throws IOException {
        SnapshotFile.write(snapDir, 10, out -> out.writeLong(10));
        Path newest = SnapshotFile.write(snapDir, 20, out -> out.writeInt(2)); // too short for the reader

        assertThatThrownBy(() -> SnapshotFile.readNewestValid(snapDir, DataInputStream::readLong))
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining(newest.toString())
                .hasMessageContaining("checksum matches");
    }

    @Test
    void aTornSnapshotIsNotValid() throws IOException {
        SnapshotFile.write(snapDir, 10, out -> out.writeUTF("ten"));
        Path newest = SnapshotFile.write(snapDir, 20, out -> out.write(new byte[10_000]));
        try (FileChannel ch = FileChannel.open(newest, StandardOpenOption.WRITE)) {
            ch.truncate(5_000);
        }
        Path empty = snapDir.resolve(SnapshotFile.fileName(30));
        Files.createFile(empty);
        assertThat(SnapshotFile.verify(newest)).contains("trailer");
        assertThat(SnapshotFile.verify(empty)).contains("too short");
        assertThat(SnapshotFile.readNewestValid(snapDir, in -> in.readUTF()).map(Snapshot::lastZxid))
                .isEqualTo(Optional.of(10L));
    }

    @Test
    void purgeKeepsTheNewestSnapshotsAndTheLogTheyNeed() throws IOException {
        AtomicLong clock = new AtomicLong(T0);
        try (TxnLog log = TxnLog.open(logDir, options(clock))) {
            // five log files of 10 entries, and a snapshot after each
            for (long z = 1; z <= 50; z++) {
                log.append(entry(z));
                if (z % 10 == 0) {
                    log.sync();
                    long at = z;
                    SnapshotFile.write(snapDir, at, out -> out.writeLong(at));
                    clock.addAndGet(LogRollCycle.FIVE_MINUTELY.lengthMillis());
                }
            }
            log.append(entry(51));
            assertThat(log.files()).hasSize(6);

            SnapshotFile.purge(snapDir, logDir, log, 1); // keeps 3 at least: 50, 40, 30
            assertThat(SnapshotFile.list(snapDir).stream().map(SnapshotFile::zxidOf)).containsExactly(50L, 40L, 30L);
            // the snapshot at 30 needs 31..: the files of 1..10 and 11..20 go; 21..30 holds nothing it needs
            assertThat(log.firstZxid()).isEqualTo(31);
            assertThat(zxids(readAll(log, 30))).hasSize(21);

            SnapshotFile.purge(snapDir, logDir, log, 4); // fewer snapshots than asked to keep: nothing goes
            assertThat(SnapshotFile.list(snapDir)).hasSize(3);
            assertThat(log.firstZxid()).isEqualTo(31);

            assertThatThrownBy(() -> SnapshotFile.purge(snapDir, snapDir, log, 3))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        try (TxnLog log = TxnLog.open(logDir, options(clock))) {
            assertThat(log.firstZxid()).isEqualTo(31);
            assertThat(log.lastZxid()).isEqualTo(51);
            List<Long> left = zxids(readAll(log, 0));
            assertThat(left).first().isEqualTo(31L);
        }
    }
}
