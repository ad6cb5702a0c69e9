package io.corral.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A rough figure, not a benchmark (no JMH): run with
 * {@code mvn -o -q -pl log -am test -Dtest=LogThroughputFigure -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcorral.log.figure=true} and read the test's output file under log/target/surefire-reports.
 */
@EnabledIfSystemProperty(named = "corral.log.figure", matches = "true")
class LogThroughputFigure {

    @TempDir
    Path dir;

    @Test
    void figures() throws Exception {
        byte[] body = new byte[100];
        // one sync per append: what a server without group commit would pay
        try (TxnLog log = TxnLog.open(dir.resolve("single"), LogOptions.defaults())) {
            int n = 2_000;
            long t0 = System.nanoTime();
            for (int z = 1; z <= n; z++) {
                log.append(new LogEntry(z, 1, z, 0, 1, body));
                log.sync();
            }
            long ns = System.nanoTime() - t0;
            System.out.printf("append+sync each: %d txns in %d ms = %.0f txn/s, %.1f us per durable txn%n",
                    n, ns / 1_000_000, n * 1e9 / ns, ns / 1e3 / n);
        }
        // group commit through the LogWriter, the producer offering as fast as it can
        try (TxnLog log = TxnLog.open(dir.resolve("group"), LogOptions.defaults())) {
            int n = 300_000;
            CountDownLatch done = new CountDownLatch(1);
            long t0;
            try (LogWriter writer = new LogWriter(log, 8192, z -> {
                if (z == n) {
                    done.countDown();
                }
            })) {
                t0 = System.nanoTime();
                for (int z = 1; z <= n; z++) {
                    LogEntry e = new LogEntry(z, 1, z, 0, 1, body);
                    while (!writer.offer(e)) {
                        Thread.onSpinWait();
                    }
                }
                done.await(120, TimeUnit.SECONDS);
            }
            long ns = System.nanoTime() - t0;
            System.out.printf("group commit: %d txns in %d ms = %.0f txn/s, %d syncs (%.0f txns per sync)%n",
                    n, ns / 1_000_000, n * 1e9 / ns, log.syncCount(), (double) n / log.syncCount());
        }
        long t0 = System.nanoTime();
        try (TxnLog log = TxnLog.open(dir.resolve("group"), LogOptions.defaults())) {
            System.out.printf("reopen (recovery scan with CRC check) of %d entries: %d ms%n", log.lastZxid(),
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
