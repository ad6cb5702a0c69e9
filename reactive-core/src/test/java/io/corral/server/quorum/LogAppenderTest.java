package io.corral.server.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.corral.log.LogEntry;
import io.corral.log.LogOptions;
import io.corral.log.TxnLog;

/**
 * A standalone server's appender: a round's few entries are synced by the sequencer itself, held while the writer
 * thread is busy (which wakes the sequencer when it is done), and handed to the writer thread once a round has more
 * or while the writer thread has just synced a batch.
 */
class LogAppenderTest {
    private static final long EPOCH = 1L << 32;

    @TempDir
    Path dir;

    private final AtomicInteger wakes = new AtomicInteger();
    private final Semaphore woken = new Semaphore(0);

    private void wake() {
        wakes.incrementAndGet();
        woken.release();
    }

    private static LogEntry entry(long n) {
        return new LogEntry(EPOCH + n, 1, (int) n, 0, 5, new byte[] {(byte) n});
    }

    private void awaitDurable(LogAppender appender, long zxid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (appender.durableZxid() < zxid) {
            assertThat(woken.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)).isTrue();
        }
    }

    /** As the sequencer loop does: ends rounds until what it holds is durable, parking when it may. */
    private void endRoundsUntilDurable(LogAppender appender, long zxid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        appender.endOfRound();
        while (appender.durableZxid() < zxid) {
            if (appender.mayPark()) {
                assertThat(woken.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)).isTrue();
            }
            appender.endOfRound();
        }
    }

    @Test
    void aSmallRoundIsDurableWhenTheRoundEndsWithoutWakingAnyThread() {
        try (TxnLog log = TxnLog.open(dir, LogOptions.defaults());
                LogAppender appender = new LogAppender(log, 0, this::wake, true)) {
            for (long n = 1; n <= 3; n++) {
                appender.append(entry(n));
            }
            assertThat(appender.appendedZxid()).isEqualTo(EPOCH + 3);
            assertThat(appender.durableZxid()).isZero();
            assertThat(log.lastZxid()).isZero(); // held until the round ends

            appender.endOfRound();

            assertThat(appender.durableZxid()).isEqualTo(EPOCH + 3);
            assertThat(log.durableZxid()).isEqualTo(EPOCH + 3);
            assertThat(appender.mayPark()).isTrue();
            assertThat(wakes.get()).isZero(); // the writer thread reported nothing: it wrote nothing
        }
    }

    @Test
    void aRoundThatFoundWorkWaitingAfterAnInlineSyncGoesToTheWriterThread() throws Exception {
        try (TxnLog log = TxnLog.open(dir, LogOptions.defaults());
                LogAppender appender = new LogAppender(log, 0, this::wake, true)) {
            appender.append(entry(1));
            appender.endOfRound();
            assertThat(appender.durableZxid()).isEqualTo(EPOCH + 1);
            // the sequencer did not run out of work since (no mayPark): requests come faster than it syncs
            appender.append(entry(2));
            appender.endOfRound();
            awaitDurable(appender, EPOCH + 2);
            assertThat(wakes.get()).isPositive(); // the writer thread wrote it and reported it
        }
    }

    @Test
    void aLargeRoundGoesToTheWriterThreadWhichReportsIt() throws Exception {
        try (TxnLog log = TxnLog.open(dir, LogOptions.defaults());
                LogAppender appender = new LogAppender(log, 0, this::wake, true)) {
            int n = LogAppender.INLINE_MAX + 1;
            for (long i = 1; i <= n; i++) {
                appender.append(entry(i));
            }
            appender.endOfRound(); // nothing left to write here
            awaitDurable(appender, EPOCH + n);
            assertThat(log.durableZxid()).isEqualTo(EPOCH + n);
        }
    }

    @Test
    void aRoundRightAfterTheWriterThreadsBatchGoesToTheWriterThreadTooAndLaterOnesAreInlineAgain() throws Exception {
        AtomicLong clock = new AtomicLong();
        try (TxnLog log = TxnLog.open(dir, LogOptions.defaults());
                LogAppender appender = new LogAppender(log, 0, this::wake, true, clock::get)) {
            int n = LogAppender.INLINE_MAX + 1;
            for (long i = 1; i <= n; i++) {
                appender.append(entry(i));
            }
            appender.endOfRound();
            awaitDurable(appender, EPOCH + n);
            assertThat(appender.mayPark()).isTrue(); // the sequencer idles for a moment between two bursts

            clock.incrementAndGet(); // a nanosecond later: the writer's batches so far are from before
            appender.append(entry(n + 1));
            appender.endOfRound(); // the writer thread has just synced a batch: this goes to it too
            awaitDurable(appender, EPOCH + n + 1);
            assertThat(appender.writerThreadSyncedWithin(1)).isTrue(); // it synced this one, now

            clock.addAndGet(LogAppender.WRITER_BUSY_NANOS); // the writer thread has been quiet that long
            assertThat(appender.mayPark()).isTrue();
            appender.append(entry(n + 2));
            endRoundsUntilDurable(appender, EPOCH + n + 2);
            assertThat(appender.writerThreadSyncedWithin(1)).isFalse(); // the sequencer wrote it itself
            assertThat(log.durableZxid()).isEqualTo(EPOCH + n + 2);
        }
    }

    @Test
    void whileTheWriterIsBusyARoundIsHeldAndTheWriterWakesTheSequencerWhenItIsDone() throws Exception {
        CountDownLatch inReport = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Runnable wakeAfterTheFirstBatch = () -> {
            inReport.countDown();
            try {
                assertThat(release.await(20, TimeUnit.SECONDS)).isTrue(); // the writer thread holds the log here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            wake();
        };
        AtomicLong clock = new AtomicLong();
        try (TxnLog log = TxnLog.open(dir, LogOptions.defaults());
                LogAppender appender = new LogAppender(log, 0, wakeAfterTheFirstBatch, true, clock::get)) {
            int n = LogAppender.INLINE_MAX + 1;
            for (long i = 1; i <= n; i++) {
                appender.append(entry(i)); // to the writer thread, which stops in its report
            }
            assertThat(inReport.await(20, TimeUnit.SECONDS)).isTrue();
            clock.addAndGet(LogAppender.WRITER_BUSY_NANOS); // not a burst: the sequencer would write it itself

            appender.append(entry(n + 1));
            appender.endOfRound();
            assertThat(log.lastZxid()).isEqualTo(EPOCH + n); // held: the writer holds the log
            assertThat(appender.mayPark()).isTrue(); // and it will wake the sequencer

            release.countDown();
            endRoundsUntilDurable(appender, EPOCH + n + 1);
            assertThat(log.durableZxid()).isEqualTo(EPOCH + n + 1);
        }
    }

    @Test
    void aFailedInlineWriteLeavesNothingDurableReportsTheFailureAndTheSequencerParks() {
        try (TxnLog log = TxnLog.open(dir, LogOptions.defaults())) {
            log.append(entry(10));
            log.sync();
            try (LogAppender appender = new LogAppender(log, EPOCH + 10, this::wake, true)) {
                appender.append(entry(3)); // behind the log's last zxid: the append fails
                assertThat(appender.failure()).isNull();
                appender.endOfRound();
                // the sequencer learns it from failure(), woken for it, and stops serving
                assertThat(appender.failure()).isInstanceOf(IllegalArgumentException.class);
                assertThat(wakes.get()).isPositive();
                assertThat(appender.durableZxid()).isEqualTo(EPOCH + 10);
                appender.endOfRound(); // no retry, no error per round
                assertThat(appender.mayPark()).isTrue(); // no busy loop either
            }
        }
    }
}
