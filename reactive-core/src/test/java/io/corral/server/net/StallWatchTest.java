package io.corral.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The slow-reader clock on an embedded event loop whose time stands still until the test moves it. */
class StallWatchTest {
    private static final long TIMEOUT_MS = 1_000;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final AtomicBoolean unwritable = new AtomicBoolean(true);
    private final AtomicInteger cutOffs = new AtomicInteger();
    private final StallWatch watch;

    StallWatchTest() {
        channel.freezeTime();
        watch = new StallWatch(channel.eventLoop(), TIMEOUT_MS, unwritable::get, cutOffs::incrementAndGet);
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void advance(long ms) {
        channel.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void aClientStalledForTheWholeTimeoutIsCutOffOnce() {
        watch.stalled();
        advance(TIMEOUT_MS - 1);
        assertThat(cutOffs).hasValue(0);
        advance(1);
        assertThat(cutOffs).hasValue(1);
        advance(10 * TIMEOUT_MS);
        assertThat(cutOffs).hasValue(1);
    }

    @Test
    void flowingAgainRestartsTheClockWithoutANewTimerPerFlip() {
        watch.stalled();
        for (int i = 0; i < 1_000; i++) { // a burst: writability flips many times within the timeout
            watch.flowing();
            watch.stalled();
        }
        advance(600);
        watch.flowing();
        watch.stalled(); // stalled anew at 600 ms: the first timer fires at 1000 ms, early, and re-arms
        advance(400);
        assertThat(cutOffs).hasValue(0);
        advance(599);
        assertThat(cutOffs).hasValue(0);
        advance(1);
        assertThat(cutOffs).hasValue(1);
    }

    @Test
    void aClientThatReadsBeforeTheTimeoutStays() {
        watch.stalled();
        advance(500);
        watch.flowing();
        advance(5 * TIMEOUT_MS);
        assertThat(cutOffs).hasValue(0);
    }

    @Test
    void noCutOffWhenTheChannelTookWritesAgainByThen() {
        watch.stalled();
        unwritable.set(false); // e.g. writable already, its writability event still to come
        advance(TIMEOUT_MS);
        assertThat(cutOffs).hasValue(0);
    }

    @Test
    void stoppedOrDisabledItNeverFires() {
        watch.stalled();
        watch.stop();
        advance(5 * TIMEOUT_MS);
        StallWatch never = new StallWatch(channel.eventLoop(), 0, unwritable::get, cutOffs::incrementAndGet);
        never.stalled();
        advance(5 * TIMEOUT_MS);
        assertThat(cutOffs).hasValue(0);
    }
}
