package io.corral.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The training run bin/corral-server records its class data sharing archive from: it must go through every step. */
class TrainingRunTest {

    @Test
    void electsServesRestartsAFollowerAndCatchesItUp(@TempDir Path dir) throws Exception {
        TrainingRun.run(dir); // throws if a step failed or timed out
    }
}
