package io.corral.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RecoveryClockTest {
    private static final long MS = 1_000_000;

    @Test
    void onlyWritesSentAfterTheFaultCount() throws Exception {
        RecoveryClock clock = new RecoveryClock(2);
        clock.acknowledged(0, 0, 5 * MS, 0); // before any fault
        clock.faultComplete(10 * MS, 12 * MS);
        clock.acknowledged(0, 9 * MS, 13 * MS, 0); // in flight before the fault: a reply already on its way
        clock.acknowledged(1, 11 * MS, 14 * MS, 0); // sent while the fault was still being injected
        assertThat(clock.await(Duration.ZERO)).isFalse();

        clock.acknowledged(0, 12 * MS, 300 * MS, 0);
        clock.acknowledged(1, 500 * MS, 810 * MS, 0);
        clock.acknowledged(1, 900 * MS, 950 * MS, 0); // later writes change nothing

        assertThat(clock.await(Duration.ZERO)).isTrue();
        RecoveryClock.Recovery r = clock.recovery(3);
        assertThat(r.recovered()).isEqualTo(2);
        assertThat(r.firstMs()).isEqualTo(290.0);
        assertThat(r.allMs()).isEqualTo(800.0);
        assertThat(r.failedWrites()).isEqualTo(3);
    }

    @Test
    void aSessionThatNeverWritesAgainLeavesNoTotal() throws Exception {
        RecoveryClock clock = new RecoveryClock(3);
        clock.faultComplete(0, MS);
        clock.acknowledged(2, 2 * MS, 42 * MS, 0);

        assertThat(clock.await(Duration.ofMillis(1))).isFalse();
        RecoveryClock.Recovery r = clock.recovery(0);
        assertThat(r.recovered()).isEqualTo(1);
        assertThat(r.firstMs()).isEqualTo(42.0);
        assertThat(r.allMs()).isNull();
    }

    @Test
    void pausesCountUntilEachSessionRecovered() throws Exception {
        RecoveryClock clock = new RecoveryClock(3);
        clock.acknowledged(0, 1 * MS, 2 * MS, 1 * MS); // the clock starts just before the fault
        clock.acknowledged(1, 1 * MS, 3 * MS, 1 * MS);
        clock.acknowledged(2, 1 * MS, 2 * MS, 1 * MS);
        clock.faultComplete(2 * MS, 5 * MS);
        clock.acknowledged(0, 5 * MS, 9 * MS, 2 * MS); // session 0: paused 7 ms, and recovered
        clock.acknowledged(0, 9 * MS, 60 * MS, 9 * MS); // after its recovery: not counted
        clock.disconnected(1);
        clock.acknowledged(1, 6 * MS, 400 * MS, 3 * MS); // session 1 reconnected elsewhere
        clock.acknowledged(2, 2 * MS, 30 * MS, 2 * MS); // sent before the fault was complete: no recovery yet
        clock.acknowledged(2, 30 * MS, 32 * MS, 30 * MS);

        RecoveryClock.Recovery r = clock.recovery(1);
        assertThat(r.sessionsDisconnected()).isEqualTo(1);
        assertThat(r.longestPauseNanos()).containsExactly(7 * MS, 397 * MS, 28 * MS);
        assertThat(r.longestPauseConnectedMs()).isEqualTo(28.0);
    }

    @Test
    void noSessionRecovered() {
        RecoveryClock clock = new RecoveryClock(1);
        clock.faultComplete(0, MS);
        assertThat(clock.recovery(7).firstMs()).isNull();
    }

    @Test
    void oneFaultPerClock() {
        RecoveryClock clock = new RecoveryClock(1);
        clock.faultComplete(0, MS);
        assertThatThrownBy(() -> clock.faultComplete(2 * MS, 3 * MS)).isInstanceOf(IllegalStateException.class);
    }
}
