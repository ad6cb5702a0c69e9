package io.corral.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The sessions of a run: opened in parallel, used for setup requests, closed at the end. */
final class LoadSessions {
    static final int CONNECT_TIMEOUT_MS = 15_000;

    /** The watch listener of the session with this index (null: none). */
    interface ListenerFor {
        LoadClient.WatchListener of(int index);
    }

    private final LoadSettings settings;
    private final List<LoadClient> all = new ArrayList<>();

    LoadSessions(LoadSettings settings) {
        this.settings = settings;
    }

    /** Every session opened so far, in order. */
    List<LoadClient> all() {
        return all;
    }

    LoadClient first() {
        return all.get(0);
    }

    /** Opens one session (for churn: not kept here, the caller closes it). */
    LoadClient open(LoadClient.WatchListener listener) throws Exception {
        return settings.factory().connect(settings.connect(), settings.sessionTimeoutMs(), CONNECT_TIMEOUT_MS,
                listener);
    }

    /** Opens n sessions at once (at most 16 connecting at a time) and keeps them; all or none. */
    List<LoadClient> connect(int n, ListenerFor listeners) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 16));
        try {
            List<Future<LoadClient>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> open(listeners.of(index))));
            }
            List<LoadClient> result = new ArrayList<>();
            Exception failure = null;
            for (Future<LoadClient> f : futures) {
                try {
                    result.add(f.get());
                } catch (ExecutionException e) {
                    failure = e.getCause() instanceof Exception ex ? ex : e;
                }
            }
            if (failure != null) {
                result.forEach(LoadClient::close);
                throw failure;
            }
            all.addAll(result);
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Creates a node if missing (synchronously, bounded). */
    void ensure(String path) throws Exception {
        AtomicInteger rc = new AtomicInteger(1);
        CountDownLatch done = new CountDownLatch(1);
        first().create(path, new byte[0], r -> {
            rc.set(r);
            done.countDown();
        });
        if (!done.await(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("create " + path + " timed out");
        }
        if (rc.get() != LoadClient.OK && rc.get() != LoadClient.NODE_EXISTS) {
            throw new IllegalStateException("create " + path + " failed with error " + rc.get());
        }
    }

    void closeAll() {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (LoadClient c : all) {
            pool.submit(c::close);
        }
        pool.shutdown();
        try {
            pool.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
