package io.corral.bench.load;

import org.HdrHistogram.Recorder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a run's workload reports into: each completion with its latency, counted in the measured window or only in
 * the progress lines; the requests still outstanding; the end of the run; and figures of its own ({@link #extra}).
 */
final class Measurement {
    final Recorder measured = new Recorder(3);
    final Recorder interval = new Recorder(3);
    final LongAdder completedAll = new LongAdder();
    final LongAdder errorsAll = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder errors = new LongAdder();
    /** Requests in flight (and, in an open loop, the pacer itself): the run is finished when it drops to zero. */
    final AtomicLong outstanding = new AtomicLong();
    final AtomicInteger firstError = new AtomicInteger();
    final CountDownLatch finished = new CountDownLatch(1);
    /** Figures a workload adds to the JSON result. */
    final Map<String, Object> extra = new LinkedHashMap<>();
    volatile long runStart;
    volatile long measureStart = Long.MAX_VALUE;
    volatile long measureEnd = Long.MAX_VALUE;

    /** A request issued at {@code since} (ns) ended with {@code rc}. */
    void complete(long since, int rc) {
        long now = System.nanoTime();
        long latency = Math.max(0, now - since);
        completedAll.increment();
        boolean inWindow = now >= measureStart && now < measureEnd;
        if (rc != LoadClient.OK) {
            errorsAll.increment();
            firstError.compareAndSet(0, rc);
            if (inWindow) {
                errors.increment();
            }
            return;
        }
        interval.recordValue(latency);
        if (inWindow) {
            measured.recordValue(latency);
            completed.increment();
        }
    }

    /** Counts a failed request outside the latency figures (arming a watch, a fan-out write). */
    void countError(int rc) {
        if (rc != LoadClient.OK) {
            errorsAll.increment();
            firstError.compareAndSet(0, rc);
        }
    }

    /** One of the outstanding requests (or the pacer) is done; the last one finishes the run. */
    void oneDone() {
        if (outstanding.decrementAndGet() == 0) {
            finished.countDown();
        }
    }

    boolean ended(long now) {
        return now >= measureEnd;
    }
}
