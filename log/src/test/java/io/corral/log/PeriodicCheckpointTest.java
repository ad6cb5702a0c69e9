package io.corral.log;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PeriodicCheckpointTest {
    @TempDir
    Path dir;

    private final PeriodicCheckpoint periodic = new PeriodicCheckpoint();

    @AfterEach
    void close() {
        periodic.close();
    }

    private Path file() throws IOException {
        return Files.write(dir.resolve("appended.cq4"), new byte[8192]);
    }

    private void awaitEarlyForce() {
        await().atMost(Duration.ofSeconds(30)).until(() -> !periodic.forcing());
    }

    @Test
    void aDueCheckpointWaitsForAnEarlyForceOfTheFileAppendedTo() throws IOException {
        Path file = file();
        assertThat(periodic.readyToRun(file)).as("starts the early force").isFalse();
        awaitEarlyForce();
        assertThat(periodic.readyToRun(file)).as("forced since the last checkpoint").isTrue();
        periodic.checkpointed();
        assertThat(periodic.readyToRun(file)).as("the next one forces early again").isFalse();
    }

    @Test
    void withNoFileToForceEarlyItRunsAtOnce() {
        assertThat(periodic.readyToRun(null)).isTrue();
    }

    @Test
    void anEarlyForceBeganBeforeTheLastCheckpointDoesNotCount() throws IOException {
        Path file = file();
        periodic.readyToRun(file);
        periodic.checkpointed(); // the journal was full, say: a checkpoint forced everything meanwhile
        awaitEarlyForce();
        assertThat(periodic.readyToRun(file)).as("a fresh early force begins").isFalse();
        awaitEarlyForce();
        assertThat(periodic.readyToRun(file)).isTrue();
    }

    @Test
    void anEarlyForceThatFailsLeavesTheForcingToTheCheckpoint() {
        Path gone = dir.resolve("rolled-and-purged.cq4");
        assertThat(periodic.readyToRun(gone)).isFalse();
        awaitEarlyForce();
        assertThat(periodic.readyToRun(gone)).isTrue();
    }

    @Test
    void theIntervalStartsAgainAtEachCheckpoint() {
        AtomicLong now = new AtomicLong(1_000);
        try (PeriodicCheckpoint clocked = new PeriodicCheckpoint(now::get)) {
            now.addAndGet(PeriodicCheckpoint.INTERVAL_NANOS - 1);
            assertThat(clocked.intervalPassed()).isFalse();
            now.incrementAndGet();
            assertThat(clocked.intervalPassed()).isTrue();
            clocked.checkpointed();
            assertThat(clocked.intervalPassed()).isFalse();
            now.addAndGet(PeriodicCheckpoint.INTERVAL_NANOS);
            assertThat(clocked.intervalPassed()).isTrue();
        }
    }
}
