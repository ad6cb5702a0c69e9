package io.corral.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.corral.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** ClientRetry: which errors are retried, how often, how far apart; virtual time, so nothing waits. */
class ClientRetryTest {
    private static final Duration FIRST = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(1);

    /** Fails with {@code code} the first {@code failures} times it is subscribed, then answers "ok". */
    private static Mono<String> failing(AtomicInteger calls, int failures, int code) {
        return Mono.defer(() -> calls.incrementAndGet() <= failures
                ? Mono.error(new KeeperErrorException(code, "/p"))
                : Mono.just("ok"));
    }

    @Test
    void retriesConnectionLossUntilItSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> failing(calls, 3, ErrorCode.CONNECTION_LOSS)
                        .retryWhen(ClientRetry.onConnectionLoss(5, FIRST, MAX)))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(10))
                .expectNext("ok")
                .verifyComplete();
        assertThat(calls.get()).isEqualTo(4);
    }

    @Test
    void waitsLongerAfterEachFailure() {
        AtomicInteger calls = new AtomicInteger();
        // jitter is ±50 % but never below the first back-off: the first retry comes at 100..150 ms, the second
        // 100..300 ms after it, so at 200 ms at the earliest and 450 ms at the latest
        StepVerifier.withVirtualTime(() -> failing(calls, 2, ErrorCode.OPERATION_TIMEOUT)
                        .retryWhen(ClientRetry.onConnectionLoss(5, FIRST, MAX)))
                .expectSubscription()
                .then(() -> assertThat(calls.get()).isEqualTo(1))
                .thenAwait(Duration.ofMillis(99))
                .then(() -> assertThat(calls.get()).isEqualTo(1))
                .thenAwait(Duration.ofMillis(51))
                .then(() -> assertThat(calls.get()).isEqualTo(2))
                .thenAwait(Duration.ofMillis(49))
                .then(() -> assertThat(calls.get()).isEqualTo(2))
                .thenAwait(Duration.ofMillis(251))
                .expectNext("ok")
                .verifyComplete();
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void givesUpAfterMaxRetriesWithTheLastErrorUnwrapped() {
        AtomicInteger calls = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> failing(calls, 100, ErrorCode.CONNECTION_LOSS)
                        .retryWhen(ClientRetry.onConnectionLoss(3, FIRST, MAX)))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(30))
                .expectErrorSatisfies(e -> assertThat(KeeperErrorException.hasCode(e, ErrorCode.CONNECTION_LOSS))
                        .as("%s", e).isTrue())
                .verify();
        assertThat(calls.get()).isEqualTo(4);
    }

    @Test
    void otherErrorsPassThroughAtOnce() {
        for (int code : new int[] {ErrorCode.SESSION_EXPIRED, ErrorCode.NO_NODE, ErrorCode.BAD_VERSION,
                ErrorCode.NOT_READONLY}) {
            AtomicInteger calls = new AtomicInteger();
            StepVerifier.withVirtualTime(() -> failing(calls, 1, code)
                            .retryWhen(ClientRetry.onConnectionLoss(5, FIRST, MAX)))
                    .expectSubscription()
                    .expectErrorSatisfies(e -> assertThat(KeeperErrorException.hasCode(e, code)).isTrue())
                    .verify();
            assertThat(calls.get()).as("calls for code %d", code).isEqualTo(1);
        }
        AtomicInteger calls = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> Mono.<String>error(new ClientClosedException())
                        .doOnSubscribe(s -> calls.incrementAndGet())
                        .retryWhen(ClientRetry.onConnectionLoss()))
                .expectSubscription()
                .expectError(ClientClosedException.class)
                .verify();
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void backOffIsCappedAtTheMaximum() {
        AtomicInteger calls = new AtomicInteger();
        // uncapped, the 8th retry would come after 100 ms × 2^7 = 12.8 s; capped at 1 s (+50 % jitter) all 8 fit in 12 s
        StepVerifier.withVirtualTime(() -> failing(calls, 8, ErrorCode.SESSION_MOVED)
                        .retryWhen(ClientRetry.onConnectionLoss(8, FIRST, MAX)))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(12))
                .expectNext("ok")
                .verifyComplete();
        assertThat(calls.get()).isEqualTo(9);
    }

    @Test
    void rejectsANegativeRetryCount() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClientRetry.onConnectionLoss(-1, FIRST, MAX))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
