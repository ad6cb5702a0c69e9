package io.corral.client;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The client tests are only meaningful if BlockHound watches the non-blocking threads of the test JVM. */
class BlockHoundInstalledTest {

    @Test
    void blockingOnAParallelThreadFails() {
        StepVerifier.create(Mono.fromCallable(() -> new CountDownLatch(1).await(10, TimeUnit.SECONDS))
                        .subscribeOn(Schedulers.parallel()))
                .expectError(BlockingOperationError.class)
                .verify();
    }
}
