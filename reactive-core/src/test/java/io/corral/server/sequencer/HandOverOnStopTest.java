package io.corral.server.sequencer;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.log.LogEntry;
import io.corral.server.quorum.Quorum;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A stopping leader's hand-over, driven as the sequencer drives it: the stopping thread asks, the sequencer starts it
 * in its next round ({@code wake} runs that round here, on the same thread) and hears the outcome from the quorum.
 */
class HandOverOnStopTest {
    private final HandOverOnStop handOver = new HandOverOnStop();

    /** A quorum whose transfer does what {@code transfer} does (returning the target, or throwing). */
    private static Quorum quorum(LongUnaryOperator transfer) {
        return new Quorum() {
            @Override
            public void propose(LogEntry entry) {
            }

            @Override
            public long committedZxid() {
                return 0;
            }

            @Override
            public boolean hasRoom() {
                return true;
            }

            @Override
            public void sync() {
            }

            @Override
            public void close() {
            }

            @Override
            public long transferLeadership(long target) {
                return transfer.applyAsLong(target);
            }
        };
    }

    /** The target already held everything: the leader stepped down inside the call (the handover's shortcut). */
    @Test
    void aLeaderSteppingDownWithinTheTransferCallHasHandedOver() throws InterruptedException {
        Quorum quorum = quorum(target -> {
            handOver.ended(true);
            return 2;
        });
        assertThat(handOver.await(() -> handOver.startIfAsked(quorum, true), 1_000)).isTrue();
    }

    @Test
    void aLeaderSteppingDownInALaterRoundHasHandedOver() throws InterruptedException {
        Quorum quorum = quorum(target -> 2);
        assertThat(handOver.await(() -> {
            handOver.startIfAsked(quorum, true);
            handOver.ended(true); // a later round: the target acknowledged, the leader stepped down
        }, 1_000)).isTrue();
    }

    @Test
    void aTransferRefusedOrNotLeadingStopsWithoutHandingOver() throws InterruptedException {
        Quorum refusing = quorum(target -> {
            throw new IllegalStateException("no synchronised voter to hand over to");
        });
        assertThat(handOver.await(() -> handOver.startIfAsked(refusing, true), 1_000)).isFalse();
        assertThat(handOver.await(() -> handOver.startIfAsked(quorum(target -> 2), false), 1_000)).isFalse();
        handOver.ended(true); // nothing under way any more: a later step-down completes nothing
    }
}
