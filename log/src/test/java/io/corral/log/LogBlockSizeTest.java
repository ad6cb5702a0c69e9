package io.corral.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blocks Chronicle maps the log in: small, yet every entry up to the largest allowed fits across them. */
class LogBlockSizeTest {

    @TempDir
    Path dir;

    @Test
    void theBlockIsTheSmallestWhoseQuarterHoldsTheLargestEntry() {
        assertThat(LogOptions.defaults().blockSize()).isEqualTo(LogOptions.MIN_BLOCK_SIZE);
        assertThat(LogOptions.defaults().withMaxEntryBytes(10 << 20).blockSize()).isEqualTo(64L << 20);
    }

    @Test
    void entriesOfTheLargestSizeCrossBlockBoundariesAndReadBackAfterAReopen() {
        LogOptions options = LogOptions.defaults().withForceSync(false);
        int body = options.maxEntryBytes();
        int count = (int) (3 * options.blockSize() / body) + 1; // across three block boundaries
        try (TxnLog log = TxnLog.open(dir, options)) {
            for (int i = 1; i <= count; i++) {
                log.append(new LogEntry(i, 1, i, 0, 1, filled(body, i)));
            }
            log.sync();
        }
        List<Long> zxids = new ArrayList<>();
        try (TxnLog log = TxnLog.open(dir, options); CloseableIterator<LogEntry> it = log.readFrom(0)) {
            while (it.hasNext()) {
                LogEntry e = it.next();
                assertThat(e.body()).isEqualTo(filled(body, (int) e.zxid()));
                zxids.add(e.zxid());
            }
        }
        assertThat(zxids).hasSize(count).first().isEqualTo(1L);
    }

    private static byte[] filled(int size, int value) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
