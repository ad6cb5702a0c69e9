package io.corral.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.corral.log.LogTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogWriterTest {

    @TempDir
    Path dir;

    final AtomicLong clock = new AtomicLong(T0);

    @Test
    void groupCommitSyncsBatchesAndReportsIncreasingZxids() throws Exception {
        int n = 10_000;
        List<Long> durable = new CopyOnWriteArrayList<>();
        CountDownLatch allOffered = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        try (TxnLog log = TxnLog.open(dir, options(clock))) {
            try (LogWriter writer = new LogWriter(log, 16_384, zxid -> {
                // hold the writer in its first callback until everything is queued: the rest then arrives in
                // few, large batches whatever the speed of this machine
                if (durable.isEmpty()) {
                    await(allOffered);
                }
                durable.add(zxid);
                if (zxid == n) {
                    done.countDown();
                }
            })) {
                for (long z = 1; z <= n; z++) {
                    assertThat(writer.offer(entry(z))).isTrue();
                }
                allOffered.countDown();
                assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
                assertThat(writer.batches()).isEqualTo(durable.size());
            }
            assertThat(durable).isSorted().doesNotHaveDuplicates().last().isEqualTo((long) n);
            assertThat(log.syncCount()).isEqualTo(durable.size()).isLessThan(n / 10);
            assertThat(log.durableZxid()).isEqualTo(n);
            assertThat(readAll(log, 0)).hasSize(n);
        }
    }

    @Test
    void closeDrainsWhatWasOffered() {
        AtomicLong lastDurable = new AtomicLong();
        try (TxnLog log = TxnLog.open(dir, options(clock))) {
            LogWriter writer = new LogWriter(log, 1024, lastDurable::set);
            for (long z = 1; z <= 500; z++) {
                assertThat(writer.offer(entry(z))).isTrue();
            }
            writer.close();
            assertThat(lastDurable.get()).isEqualTo(500);
            assertThat(log.durableZxid()).isEqualTo(500);
            assertThatThrownBy(() -> writer.offer(entry(501))).isInstanceOf(IllegalStateException.class);
            writer.close(); // idempotent
        }
    }

    @Test
    void offerFailsWhenTheQueueIsFull() throws Exception {
        HeldReport report = new HeldReport();
        try (TxnLog log = TxnLog.open(dir, options(clock))) {
            try (LogWriter writer = new LogWriter(log, 4, report)) {
                assertThat(writer.offer(entry(1))).isTrue();
                report.awaitHeld(); // the writer holds no entry now
                for (long z = 2; z <= 5; z++) {
                    assertThat(writer.offer(entry(z))).isTrue();
                }
                assertThat(writer.offer(entry(6))).isFalse();
                report.release();
            }
            assertThat(log.lastZxid()).isEqualTo(5);
        }
    }

    @Test
    void anAppendFailureStopsTheWriter() throws Exception {
        AtomicReference<Throwable> reported = new AtomicReference<>();
        CountDownLatch failed = new CountDownLatch(1);
        try (TxnLog log = TxnLog.open(dir, options(clock))) {
            log.append(entry(10));
            LogWriter writer = new LogWriter(log, 16, z -> { }, t -> {
                reported.set(t);
                failed.countDown();
            });
            assertThat(writer.offer(entry(3))).isTrue(); // out of order: append throws
            assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(reported.get()).isInstanceOf(IllegalArgumentException.class);
            assertThat(writer.failure()).isSameAs(reported.get());
            assertThatThrownBy(() -> writer.offer(entry(11))).isInstanceOf(IllegalStateException.class);
            writer.close();
        }
    }

    @Test
    void anIdleWriterLetsTheCallerWriteInline() throws Exception {
        AtomicLong reported = new AtomicLong();
        try (TxnLog log = TxnLog.open(dir, options(clock))) {
            try (LogWriter writer = new LogWriter(log, 16, reported::set)) {
                assertThat(writer.writeInline(List.of(entry(1), entry(2)))).isTrue();
                // durable when it returns, on this thread; the writer thread was not involved
                assertThat(log.durableZxid()).isEqualTo(2);
                assertThat(writer.batches()).isEqualTo(1);
                assertThat(reported.get()).isZero();
                // the first write woke the writer thread for the journal's allocation ahead: while it does that
                // it holds the log, and an inline write is refused (the caller would offer instead)
                writeInlineOnceFree(writer, entry(3));
                assertThat(readAll(log, 0)).extracting(LogEntry::zxid).containsExactly(1L, 2L, 3L);
            }
        }
    }

    @Test
    void aBusyWriterRefusesInlineWritesSoThatBatchesStayInOrder() throws Exception {
        HeldReport report = new HeldReport();
        try (TxnLog log = TxnLog.open(dir, options(clock))) {
            try (LogWriter writer = new LogWriter(log, 16, report)) {
                assertThat(writer.offer(entry(1))).isTrue();
                report.awaitHeld(); // its batch is in flight
                assertThat(writer.writeInline(List.of(entry(2)))).isFalse();
                CountDownLatch free = new CountDownLatch(1);
                assertThat(writer.notifyWhenFree(free::countDown)).isTrue();
                assertThat(free.getCount()).isOne();
                report.release();
                assertThat(free.await(10, TimeUnit.SECONDS)).isTrue(); // run as it gave the log up
                writeInlineOnceFree(writer, entry(2));
            }
            assertThat(readAll(log, 0)).extracting(LogEntry::zxid).containsExactly(1L, 2L);
        }
    }

    @Test
    void aFailedInlineWriteStopsTheWriter() {
        AtomicReference<Throwable> reported = new AtomicReference<>();
        try (TxnLog log = TxnLog.open(dir, options(clock))) {
            log.append(entry(10));
            LogWriter writer = new LogWriter(log, 16, z -> { }, reported::set);
            assertThatThrownBy(() -> writer.writeInline(List.of(entry(3)))) // out of order: append throws
                    .isInstanceOf(IllegalStateException.class).hasCauseInstanceOf(IllegalArgumentException.class);
            assertThat(writer.failure()).isSameAs(reported.get()).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writer.offer(entry(11))).isInstanceOf(IllegalStateException.class);
            writer.close();
        }
    }

    /** Writes inline, waiting for the writer thread (its maintenance may hold the log a moment) as a caller would. */
    private static void writeInlineOnceFree(LogWriter writer, LogEntry entry) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!writer.writeInline(List.of(entry))) {
            CountDownLatch free = new CountDownLatch(1);
            if (writer.notifyWhenFree(free::countDown)) {
                assertThat(free.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)).isTrue();
            }
        }
    }

    /** A report that holds the writer thread in its first call (it holds the log then) until released. */
    private static final class HeldReport implements java.util.function.LongConsumer {
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        @Override
        public void accept(long zxid) {
            held.countDown();
            await(released);
        }

        void awaitHeld() throws InterruptedException {
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        }

        void release() {
            released.countDown();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
