package io.corral.client;

import java.time.Duration;
import java.util.Objects;

import io.corral.protocol.ErrorCode;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

/**
 * Bounded exponential back-off for operations that failed because the connection did, for callers to put on an
 * operation with {@code retryWhen}:
 *
 * <pre>{@code
 * client.setData("/config", bytes, version).retryWhen(ClientRetry.onConnectionLoss(5, ofMillis(50), ofSeconds(2)))
 * }</pre>
 *
 * <p>Only errors that say nothing about the operation's own outcome are retried: CONNECTIONLOSS (the connection
 * broke while the request was in flight), OPERATIONTIMEOUT and SESSIONMOVED. Every other error, SESSIONEXPIRED
 * included, passes through at once. When the retries are used up the last error is propagated as it is (not wrapped).
 *
 * <p>A request that failed with CONNECTIONLOSS may have been applied: retrying a write is safe only when it is
 * idempotent or made conditional (a setData or delete with the expected version, a create that treats NODEEXISTS as
 * success, a sequential create named so that the caller can find it again).
 */
public final class ClientRetry {
    private ClientRetry() {
    }

    /**
     * At most {@code maxRetries} retries, the n-th after about {@code firstBackoff × 2^(n-1)} (capped at
     * {@code maxBackoff}, with ±50 % jitter), on the parallel scheduler.
     */
    public static RetryBackoffSpec onConnectionLoss(long maxRetries, Duration firstBackoff, Duration maxBackoff) {
        Objects.requireNonNull(firstBackoff, "firstBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
        return Retry.backoff(maxRetries, firstBackoff)
                .maxBackoff(maxBackoff)
                .filter(ClientRetry::isRetryable)
                .onRetryExhaustedThrow((spec, signal) -> signal.failure());
    }

    /** Five retries from 50 ms, at most 2 s apart. */
    public static RetryBackoffSpec onConnectionLoss() {
        return onConnectionLoss(5, Duration.ofMillis(50), Duration.ofSeconds(2));
    }

    /** True for the errors {@link #onConnectionLoss} retries. */
    public static boolean isRetryable(Throwable error) {
        return KeeperErrorException.hasCode(error, ErrorCode.CONNECTION_LOSS)
                || KeeperErrorException.hasCode(error, ErrorCode.OPERATION_TIMEOUT)
                || KeeperErrorException.hasCode(error, ErrorCode.SESSION_MOVED);
    }
}
