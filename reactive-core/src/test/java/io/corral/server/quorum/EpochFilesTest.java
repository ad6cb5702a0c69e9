package io.corral.server.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The epochs of a data directory: as ZooKeeper, a history without epoch files (imported, restored into a standalone
 * server, copied to seed an ensemble) takes the epoch of its last zxid, and writes it; files that exist are kept.
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
}
