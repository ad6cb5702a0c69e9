package io.corral.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The shell's tests only show that it never blocks the client's threads if BlockHound watches them. */
class BlockHoundInstalledTest {

    /** A wait long enough to reach the park even on a busy machine (a 1 ms one may time out before parking). */
    @Test
    void blockingOnAParallelThreadFails() {
        StepVerifier.create(Mono.fromCallable(() -> new CountDownLatch(1).await(10, TimeUnit.SECONDS))
                        .subscribeOn(Schedulers.parallel()))
                .expectError(BlockingOperationError.class)
                .verify();
    }
}
