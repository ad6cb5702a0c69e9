package io.corral.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static io.corral.log.LogTestSupport.Excerpt;
import static io.corral.log.LogTestSupport.entry;
import static io.corral.log.LogTestSupport.excerpts;
import static io.corral.log.LogTestSupport.forgetJournal;
import static io.corral.log.LogTestSupport.options;
import static io.corral.log.LogTestSupport.scribble;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The offline tools' read-only view of a log: it verifies as the server's open does, and writes nothing. */
class LogInspectorTest {
    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(LogTestSupport.T0);

    @Test
    void aTornTailIsReportedAndLeftForTheServer() throws Exception {
        writeTen();
        forgetJournal(dir);
        Excerpt last = lastExcerpt();
        scribble(last.file(), last.position() + last.length() - 6, new byte[6]);

        for (int i = 0; i < 2; i++) { // read-only: the second look finds the same torn tail
            try (LogInspector log = LogInspector.open(dir)) {
                assertThat(log.lastZxid()).isEqualTo(9);
                assertThat(log.tornTail()).contains(last.file().toString()).contains("torn");
                assertThat(zxids(log)).containsExactlyElementsOf(LongStream.rangeClosed(1, 9).boxed().toList());
            }
        }
        try (TxnLog log = TxnLog.open(dir, options(clock))) {
            assertThat(log.lastZxid()).isEqualTo(9);
        }
        try (LogInspector log = LogInspector.open(dir)) {
            assertThat(log.tornTail()).isNull();
        }
    }

    @Test
    void damageInTheMiddleIsAnError() throws Exception {
        writeTen();
        Excerpt fifth = excerpts(dir).get(4);
        scribble(fifth.file(), fifth.position() + fifth.length() - 5, new byte[] {(byte) 0xEE});

        assertThatThrownBy(() -> LogInspector.open(dir)).isInstanceOf(LogCorruptedException.class)
                .hasMessageContaining("zxid 0x5");
    }

    @Test
    void aLogThatIsOpenIsRefused() {
        try (TxnLog log = TxnLog.open(dir, options(clock))) {
            log.append(entry(1));
            assertThatThrownBy(() -> LogInspector.open(dir)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("stop the server first");
        }
    }

    private void writeTen() {
        try (TxnLog log = TxnLog.open(dir, options(clock))) {
            LongStream.rangeClosed(1, 10).forEach(z -> log.append(entry(z)));
        }
    }

    private Excerpt lastExcerpt() {
        List<Excerpt> excerpts = excerpts(dir);
        return excerpts.get(excerpts.size() - 1);
    }

    private static List<Long> zxids(LogInspector log) {
        List<Long> zxids = new ArrayList<>();
        try (CloseableIterator<LogEntry> entries = log.readFrom(0)) {
            entries.forEachRemaining(e -> zxids.add(e.zxid()));
        }
        return zxids;
    }
}
