package io.corral.server.sequencer;

import io.corral.server.quorum.Quorum;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A stopping server's request that the sequencer hand leadership over first: asked from the stopping thread, started
 * and ended on the sequencer thread, which alone may touch the quorum.
 */
final class HandOverOnStop {
    private static final Logger log = LoggerFactory.getLogger(HandOverOnStop.class);

    /** asked for, not started yet */
    private volatile CompletableFuture<Boolean> asked;
    /** started: completed when the server steps down (true) or leads on (false) */
    private CompletableFuture<Boolean> underWay;

    /** From any thread: asks, wakes the sequencer, waits for the outcome. */
    boolean await(Runnable wake, long timeoutMillis) throws InterruptedException {
        CompletableFuture<Boolean> outcome = new CompletableFuture<>();
        asked = outcome;
        wake.run();
        try {
            return outcome.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** On the sequencer thread, each round: starts what was asked for, if this server leads an ensemble. */
    void startIfAsked(Quorum quorum, boolean leadsAnEnsemble) {
        CompletableFuture<Boolean> outcome = asked;
        if (outcome == null) {
            return;
        }
        asked = null;
        if (!leadsAnEnsemble) {
            outcome.complete(false);
            return;
        }
        underWay = outcome; // before the call: a leader whose target holds everything steps down inside it
        try {
            log.info("Handing leadership over to server {} before stopping", quorum.transferLeadership(-1));
        } catch (IllegalStateException | IllegalArgumentException e) {
            underWay = null;
            log.info("Stopping without handing leadership over: {}", e.getMessage());
            outcome.complete(false);
        }
    }

    /** On the sequencer thread: the server stepped down (true) or leads on (false). */
    void ended(boolean handedOver) {
        if (underWay != null) {
            underWay.complete(handedOver);
            underWay = null;
        }
    }
}
