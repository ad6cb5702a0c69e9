package io.corral.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * churn: --clients threads each open a session, wait until it is connected, and hand it to a pool that closes it
 * (the official client spends about 100 ms of its own in close(), which would otherwise cap the rate), until the
 * end. At most 64 closes are pending. Throughput is sessions opened per second; latency is open-to-connected;
 * meanCloseUs is what close() took.
 */
final class SessionChurn extends Workload {
    private static final int CONNECTION_LOSS = -4;


    SessionChurn(LoadRun run) {
        super(run);
    }

    @Override
    Runnable prepare() {
        return this::churn;
    }

    private void churn() {
        AtomicLong cycles = new AtomicLong();
        LongAdder closeNanos = new LongAdder();
        Semaphore pendingCloses = new Semaphore(64);
        ExecutorService closer = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "corral-bench-closer");
            t.setDaemon(true);
            return t;
        });
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < settings.clients(); t++) {
            Thread thread = new Thread(() -> {
                while (!m.ended(System.nanoTime())) {
                    long start = System.nanoTime();
                    try {
                        pendingCloses.acquire();
                        LoadClient c;
                        try {
                            c = sessions.open(null);
                        } catch (Exception e) {
                            pendingCloses.release();
                            throw e;
                        }
                        m.complete(start, LoadClient.OK);
                        closer.execute(() -> {
                            long closeStart = System.nanoTime();
                            c.close();
                            long closed = System.nanoTime();
                            pendingCloses.release();
                            if (start >= m.measureStart && closed < m.measureEnd) {
                                cycles.incrementAndGet();
                                closeNanos.add(closed - closeStart);
                            }
                        });
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        m.complete(start, CONNECTION_LOSS);
                        LockSupport.parkNanos(10_000_000);
                    }
                }
            }, "corral-bench-churn-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        closer.shutdown();
        try {
            closer.awaitTermination(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        m.extra.put("openCloseCycles", cycles.get());
        m.extra.put("meanCloseUs", cycles.get() == 0 ? null : closeNanos.sum() / 1e3 / cycles.get());
        m.finished.countDown();
    }
}
