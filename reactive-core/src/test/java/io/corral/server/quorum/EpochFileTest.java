package io.corral.server.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The epochs of a data directory: written in place in one file of two slots, so a write is one data sync and a crash
 * in the middle of one leaves the epochs before it or after it; ZooKeeper's two files of an earlier Corral are taken
 * over; as ZooKeeper, a history without epochs (imported, restored into a standalone server, copied to seed an
 * ensemble) takes the epoch of its last zxid, and writes it.
 */
class EpochFileTest {
    @TempDir
    Path dir;

    @Test
    void anEmptyDirectoryStartsAtEpochZeroAndWritesNothing() throws Exception {
        EpochFile epochs = new EpochFile(dir, 0);
        assertThat(epochs.accepted()).isZero();
        assertThat(epochs.current()).isZero();
        assertThat(names()).isEmpty();
    }

    @Test
    void aHistoryWithoutEpochsTakesTheEpochOfItsLastZxid() throws Exception {
        EpochFile epochs = new EpochFile(dir, 0x5_0000_0012L);
        assertThat(epochs.accepted()).isEqualTo(5);
        assertThat(epochs.current()).isEqualTo(5);
        assertThat(names()).containsExactly(EpochFile.NAME);
        EpochFile reopened = new EpochFile(dir, 0x7_0000_0001L);
        assertThat(reopened.accepted()).isEqualTo(5);
        assertThat(reopened.current()).isEqualTo(5);
    }

    @Test
    void everyWriteIsReadBackAndTheFileIsWrittenInPlace() throws Exception {
        EpochFile epochs = new EpochFile(dir);
        epochs.write(3, 2);
        Object inode = Files.getAttribute(dir.resolve(EpochFile.NAME), "unix:ino");
        for (long e = 4; e < 40; e++) {
            epochs.write(e, e - 1);
            EpochFile reopened = new EpochFile(dir, 0x1_0000_0000L);
            assertThat(reopened.accepted()).isEqualTo(e);
            assertThat(reopened.current()).isEqualTo(e - 1);
        }
        assertThat(Files.getAttribute(dir.resolve(EpochFile.NAME), "unix:ino")).isEqualTo(inode);
        assertThat(Files.size(dir.resolve(EpochFile.NAME))).isEqualTo(2L * EpochFile.SLOT_SIZE);
        assertThat(names()).containsExactly(EpochFile.NAME);
    }

    @Test
    void aWriteCutShortLeavesTheEpochsBeforeIt() throws Exception {
        EpochFile epochs = new EpochFile(dir);
        epochs.write(4, 4);
        epochs.write(6, 4);
        // the next write (sequence 3) torn by a crash: part of its slot written, the rest of the old one left
        ByteBuffer next = EpochFile.encode(3, 9, 9);
        overwrite(EpochFile.slotOffset(3), next.limit(next.limit() - 6));
        EpochFile reopened = new EpochFile(dir);
        assertThat(reopened.accepted()).isEqualTo(6);
        assertThat(reopened.current()).isEqualTo(4);
        // and writes go on from there
        reopened.write(9, 9);
        reopened.write(10, 9);
        EpochFile again = new EpochFile(dir);
        assertThat(again.accepted()).isEqualTo(10);
        assertThat(again.current()).isEqualTo(9);
    }

    @Test
    void aWriteThatFailedChangesNothing() throws Exception {
        EpochFile epochs = new EpochFile(dir);
        epochs.write(4, 4);
        epochs.write(6, 4);
        Path file = dir.resolve(EpochFile.NAME);
        byte[] before = Files.readAllBytes(file);
        Files.delete(file);
        assertThatThrownBy(() -> epochs.write(9, 9)).isInstanceOf(java.io.UncheckedIOException.class);
        assertThat(epochs.accepted()).isEqualTo(6);
        assertThat(epochs.current()).isEqualTo(4);
        // the disk is back: the next write goes to the slot the failed one aimed at, the whole one stays
        Files.write(file, before);
        epochs.write(9, 9);
        overwrite(EpochFile.slotOffset(3) + 13, ByteBuffer.wrap(new byte[] {1}));
        EpochFile reopened = new EpochFile(dir);
        assertThat(reopened.accepted()).isEqualTo(6);
        assertThat(reopened.current()).isEqualTo(4);
    }

    @Test
    void aFileWithNoWholeSlotIsRefused() throws Exception {
        EpochFile epochs = new EpochFile(dir);
        epochs.write(4, 4);
        epochs.write(5, 4);
        overwrite(EpochFile.slotOffset(1) + 13, ByteBuffer.wrap(new byte[] {1}));
        overwrite(EpochFile.slotOffset(2) + 21, ByteBuffer.wrap(new byte[] {1}));
        assertThatThrownBy(() -> new EpochFile(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("neither slot");
    }

    @Test
    void zooKeepersEpochFilesAreTakenOverAndRemoved() throws Exception {
        Files.writeString(dir.resolve("acceptedEpoch"), "7\n", StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("currentEpoch"), "6\n", StandardCharsets.US_ASCII);
        EpochFile epochs = new EpochFile(dir, 0x5_0000_0012L);
        assertThat(epochs.accepted()).isEqualTo(7);
        assertThat(epochs.current()).isEqualTo(6);
        assertThat(names()).containsExactly(EpochFile.NAME);
        EpochFile reopened = new EpochFile(dir, 0x5_0000_0012L);
        assertThat(reopened.accepted()).isEqualTo(7);
        assertThat(reopened.current()).isEqualTo(6);
    }

    @Test
    void zooKeepersEpochFilesAtZeroAreRemovedByTheFirstWrite() throws Exception {
        Files.writeString(dir.resolve("acceptedEpoch"), "0\n", StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("currentEpoch"), "0\n", StandardCharsets.US_ASCII);
        EpochFile epochs = new EpochFile(dir);
        assertThat(epochs.accepted()).isZero();
        epochs.write(1, 0);
        assertThat(names()).containsExactly(EpochFile.NAME);
        assertThat(new EpochFile(dir).accepted()).isEqualTo(1);
    }

    @Test
    void aLegacyCurrentEpochAboveTheAcceptedOneIsTakenAsAccepted() throws Exception {
        // what a crash of the two-file write could leave: the new currentEpoch renamed, the new acceptedEpoch not
        Files.writeString(dir.resolve("acceptedEpoch"), "4\n", StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("currentEpoch"), "9\n", StandardCharsets.US_ASCII);
        EpochFile epochs = new EpochFile(dir, 0x5_0000_0012L);
        assertThat(epochs.current()).isEqualTo(9);
        assertThat(epochs.accepted()).isEqualTo(9);
    }

    @Test
    void legacyFilesLeftBesideTheEpochsFileAreIgnoredAndRemoved() throws Exception {
        new EpochFile(dir).write(8, 8);
        // a crash between making the epochs file and removing ZooKeeper's
        Files.writeString(dir.resolve("acceptedEpoch"), "3\n", StandardCharsets.US_ASCII);
        EpochFile epochs = new EpochFile(dir);
        assertThat(epochs.accepted()).isEqualTo(8);
        assertThat(names()).containsExactly(EpochFile.NAME);
    }

    private void overwrite(long position, ByteBuffer bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(dir.resolve(EpochFile.NAME), StandardOpenOption.WRITE)) {
            ch.write(bytes, position);
        }
    }

    private java.util.List<String> names() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }
}
