package io.corral.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedWarningsTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void oneLinePerKindPerIntervalThenTheCountOfThoseLeftOut() {
        Logger log = (Logger) LoggerFactory.getLogger("rate-limited-warnings-test");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        RateLimitedWarnings warnings = new RateLimitedWarnings(SECOND);
        long t = 5 * SECOND;

        assertThat(warnings.warn(log, "garbage", "first", t)).isTrue();
        for (int i = 0; i < 999; i++) {
            assertThat(warnings.warn(log, "garbage", "again", t + i * 1_000_000L)).isFalse();
        }
        assertThat(warnings.warn(log, "other", "another kind", t + 1)).isTrue();
        assertThat(warnings.warn(log, "garbage", "later", t + SECOND)).isTrue();
        assertThat(warnings.warn(log, "garbage", "quiet again", t + 3 * SECOND)).isTrue();

        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "first", "another kind", "later (999 more like it not logged since the last one)", "quiet again");
    }
}
