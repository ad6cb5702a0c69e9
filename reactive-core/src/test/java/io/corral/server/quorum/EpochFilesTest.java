package io.corral.server.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The epochs of a data directory: as ZooKeeper, a history without epoch files (imported, restored into a standalone
 * server, copied to seed an ensemble) takes the epoch of its last zxid, and writes it; files that exist are kept. A
 * write that changes both takes one directory sync, and a crash between its renames leaves a state read as safe.
 */
class EpochFilesTest {
    @TempDir
    Path dir;

    @Test
    void anEmptyDirectoryStartsAtEpochZeroAndWritesNothing() throws Exception {
        EpochFiles epochs = new EpochFiles(dir, 0);
        assertThat(epochs.accepted()).isZero();
        assertThat(epochs.current()).isZero();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aHistoryWithoutEpochFilesTakesTheEpochOfItsLastZxid() throws Exception {
        EpochFiles epochs = new EpochFiles(dir, 0x5_0000_0012L);
        assertThat(epochs.accepted()).isEqualTo(5);
        assertThat(epochs.current()).isEqualTo(5);
        assertThat(Files.readString(dir.resolve("currentEpoch"), StandardCharsets.US_ASCII).trim()).isEqualTo("5");
        assertThat(Files.readString(dir.resolve("acceptedEpoch"), StandardCharsets.US_ASCII).trim()).isEqualTo("5");
        EpochFiles reopened = new EpochFiles(dir, 0x5_0000_0012L);
        assertThat(reopened.current()).isEqualTo(5);
    }

    @Test
    void epochFilesThatExistAreKept() {
        new EpochFiles(dir, 0).write(7, 6);
        EpochFiles epochs = new EpochFiles(dir, 0x5_0000_0012L);
        assertThat(epochs.accepted()).isEqualTo(7);
        assertThat(epochs.current()).isEqualTo(6);
    }

    @Test
    void aMissingAcceptedEpochIsNotBelowTheCurrentOne() throws Exception {
        Files.writeString(dir.resolve("currentEpoch"), "9\n", StandardCharsets.US_ASCII);
        EpochFiles epochs = new EpochFiles(dir, 0x5_0000_0012L);
        assertThat(epochs.current()).isEqualTo(9);
        assertThat(epochs.accepted()).isEqualTo(9);
    }

    @Test
    void bothEpochsChangingTakeOneDirectorySync() throws Exception {
        CountingSteps steps = new CountingSteps(Integer.MAX_VALUE);
        EpochFiles epochs = new EpochFiles(dir, 0, steps);
        epochs.write(3, 3);
        assertThat(steps.renames).isEqualTo(2);
        assertThat(steps.directorySyncs).isEqualTo(1);
        epochs.write(5, 3);
        epochs.write(5, 3);
        assertThat(steps.renames).isEqualTo(3);
        assertThat(steps.directorySyncs).isEqualTo(2);
        assertThat(read("acceptedEpoch")).isEqualTo("5");
        assertThat(read("currentEpoch")).isEqualTo("3");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("acceptedEpoch",
                    "currentEpoch");
        }
    }

    @Test
    void aCrashBetweenTheRenamesLeavesTheEpochAcceptedNotCurrent() throws Exception {
        EpochFiles epochs = new EpochFiles(dir, 0, new CountingSteps(Integer.MAX_VALUE));
        epochs.write(4, 4);
        EpochFiles crashing = new EpochFiles(dir, 0, new CountingSteps(1));
        assertThatThrownBy(() -> crashing.write(9, 9)).isInstanceOf(UncheckedIOException.class);

        EpochFiles reopened = new EpochFiles(dir, 0);
        assertThat(reopened.accepted()).isEqualTo(9);
        assertThat(reopened.current()).isEqualTo(4);
        reopened.write(9, 9); // the leftover temporary file is overwritten
        assertThat(read("currentEpoch")).isEqualTo("9");
    }

    @Test
    void aCurrentEpochRenamedWithoutItsAcceptedOneIsTakenAsAccepted() throws Exception {
        new EpochFiles(dir, 0).write(4, 4);
        // the directory was not synced: the disk kept the second rename and lost the first
        EpochFiles.Steps lostFirstRename = new CountingSteps(Integer.MAX_VALUE) {
            @Override
            public void rename(Path from, Path to) throws IOException {
                if (from.getFileName().toString().startsWith("currentEpoch")) {
                    super.rename(from, to);
                }
            }

            @Override
            public void forceDirectory(Path dir) throws IOException {
                throw new IOException("crashed before the directory sync");
            }
        };
        assertThatThrownBy(() -> new EpochFiles(dir, 0, lostFirstRename).write(9, 9))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(read("acceptedEpoch")).isEqualTo("4");
        assertThat(read("currentEpoch")).isEqualTo("9");

        EpochFiles reopened = new EpochFiles(dir, 0);
        assertThat(reopened.accepted()).isEqualTo(9);
        assertThat(reopened.current()).isEqualTo(9);
        assertThat(read("acceptedEpoch")).isEqualTo("9");
    }

    private String read(String name) throws IOException {
        return Files.readString(dir.resolve(name), StandardCharsets.US_ASCII).trim();
    }

    /** The disk's steps, counted; the rename after the first {@code renamesBeforeCrash} fails as a crash would. */
    private static class CountingSteps implements EpochFiles.Steps {
        private final int renamesBeforeCrash;
        int renames;
        int directorySyncs;

        CountingSteps(int renamesBeforeCrash) {
            this.renamesBeforeCrash = renamesBeforeCrash;
        }

        @Override
        public void rename(Path from, Path to) throws IOException {
            if (renames == renamesBeforeCrash) {
                throw new IOException("crashed after " + renames + " renames");
            }
            renames++;
            EpochFiles.Steps.DISK.rename(from, to);
        }

        @Override
        public void forceDirectory(Path dir) throws IOException {
            directorySyncs++;
            EpochFiles.Steps.DISK.forceDirectory(dir);
        }
    }
}
