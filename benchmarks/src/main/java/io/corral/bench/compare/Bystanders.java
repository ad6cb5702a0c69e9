package io.corral.bench.compare;

import io.corral.protocol.OpCode;
import io.corral.protocol.PathWatchRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bystander sessions of {@link BurstProbe}, each on its own thread reading an 8-byte znode one request at a time
 * until stopped (or {@code calls} requests). A request counts when it ends at or after {@link #countFrom}: one that
 * was in flight when the burst was written counts too. {@link #awaitRunning} returns once every session has had one
 * reply, so that a burst starts with its bystanders already running (a thread started on a busy machine may first
 * run hundreds of milliseconds later).
 */
final class Bystanders {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch started;
    private final List<CompletableFuture<Session>> each = new ArrayList<>();
    private volatile boolean counting;
    private volatile long from;

    /** Latencies of bystander requests, and when (from {@link #countFrom}) the worst one started. */
    record Latencies(long[] sorted, long worstAt) {
        long worst() {
            return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
        }

        long percentile(double p) {
            return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
        }

        int count() {
            return sorted.length;
        }
    }

    private record Session(long[] latencies, int count, long worst, long worstAt) {
    }

    /** {@code countAll}: every request counts; otherwise only from {@link #countFrom} on. */
    Bystanders(List<BurstProbe.Raw> sessions, int calls, boolean countAll) {
        counting = countAll;
        from = System.nanoTime();
        started = new CountDownLatch(sessions.size());
        for (BurstProbe.Raw r : sessions) {
            each.add(CompletableFuture.supplyAsync(() -> run(r, calls), run -> new Thread(run, "bystander").start()));
        }
    }

    private Session run(BurstProbe.Raw r, int calls) {
        long[] latencies = new long[1024];
        int count = 0;
        long worst = -1;
        long worstAt = 0;
        for (int xid = 1; xid <= calls && running.get(); xid++) {
            long t = System.nanoTime();
            try {
                r.request(xid + 10, OpCode.GET_DATA, new PathWatchRequest("/small", false));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long end = System.nanoTime();
            if (xid == 1) {
                started.countDown();
            }
            if (!counting) {
                continue;
            }
            long origin = from;
            if (end - origin < 0) {
                continue;
            }
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = end - t;
            if (end - t > worst) {
                worst = end - t;
                worstAt = t - origin;
            }
        }
        return new Session(latencies, count, worst, worstAt);
    }

    /** Returns once every session has had a reply; fails after 60 s. */
    void awaitRunning() throws InterruptedException {
        if (!started.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the bystanders had no reply within 60 s");
        }
    }

    /** Only requests that end at or after {@code nanos} (System.nanoTime) count from now on. */
    void countFrom(long nanos) {
        from = nanos;
        counting = true;
    }

    /** Stops the sessions after their current request (or waits for their calls to be done); all their latencies. */
    Latencies stop() {
        running.set(false);
        long[] all = new long[0];
        long worst = -1;
        long worstAt = 0;
        for (CompletableFuture<Session> f : each) {
            Session s = f.join();
            int at = all.length;
            all = Arrays.copyOf(all, at + s.count());
            System.arraycopy(s.latencies(), 0, all, at, s.count());
            if (s.worst() > worst) {
                worst = s.worst();
                worstAt = s.worstAt();
            }
        }
        Arrays.sort(all);
        return new Latencies(all, worstAt);
    }

    /** Waits for {@code calls} requests of each session, all counted. */
    Latencies awaitCalls() {
        for (CompletableFuture<Session> f : each) {
            f.join();
        }
        return stop();
    }
}
