package io.corral.bench.load;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * watch and stream: --watchers sessions watch one znode and one writer (the first session) sets it, in rounds: the
 * next write goes once every watcher has its event; each event's latency counts from its round's write.
 * <ul>
 * <li>watch: one-shot watches (getData with watch), each re-armed by its watcher before the round ends;</li>
 * <li>stream: a persistent watch per session, set once and never re-armed.</li>
 * </ul>
 */
final class WatchFanOut extends Workload {
    private final boolean persistent;
    private final String node;
    private final AtomicLong roundStart = new AtomicLong();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicReference<CountDownLatch> roundDone = new AtomicReference<>(new CountDownLatch(1));

    WatchFanOut(LoadRun run, boolean persistent) {
        super(run);
        this.persistent = persistent;
        this.node = settings.root() + "/" + (persistent ? "stream" : "watch");
    }

    @Override
    Runnable prepare() throws Exception {
        sessions.ensure(node);
        int watchers = settings.watchers();
        String kind = persistent ? "stream" : "watcher";
        System.err.printf(Locale.ROOT, "corral-bench: connecting %d %s sessions%n", watchers, kind);
        return persistent ? streams(watchers) : oneShot(watchers);
    }

    private Runnable oneShot(int watchers) throws Exception {
        LoadClient[] watching = new LoadClient[watchers];
        LoadClient.Callback onArmed = rc -> {
            m.countError(rc);
            received();
        };
        List<LoadClient> connected = sessions.connect(watchers, index -> path -> {
            eventArrived();
            watching[index].getData(node, true, onArmed);
        });
        connected.toArray(watching);
        for (LoadClient w : watching) {
            w.getData(node, true, onArmed);
        }
        if (!roundDone.get().await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("watchers did not arm within 60 s");
        }
        return rounds("notifications");
    }

    private Runnable streams(int watchers) throws Exception {
        List<LoadClient> connected = sessions.connect(watchers, index -> path -> {
            eventArrived();
            received();
        });
        CountDownLatch registered = new CountDownLatch(watchers);
        for (LoadClient s : connected) {
            s.watchNode(node, rc -> {
                m.countError(rc);
                registered.countDown();
            });
        }
        if (!registered.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("stream watches not registered within 60 s");
        }
        return rounds("stream events");
    }

    /** A watcher's event: its latency counts from the current round's write. */
    private void eventArrived() {
        m.complete(roundStart.get(), LoadClient.OK);
    }

    /** One more watcher is done with this round; the last one ends it. */
    private void received() {
        if (received.incrementAndGet() == settings.watchers()) {
            roundDone.get().countDown();
        }
    }

    /** The measured part: rounds of one write and every watcher's event, until the end. */
    private Runnable rounds(String events) {
        m.extra.put("watchers", settings.watchers());
        LoadClient writer = sessions.first();
        AtomicLong rounds = new AtomicLong();
        return () -> {
            try {
                while (!m.ended(System.nanoTime())) {
                    CountDownLatch latch = new CountDownLatch(1);
                    roundDone.set(latch);
                    received.set(0);
                    long start = System.nanoTime();
                    roundStart.set(start);
                    writer.setData(node, settings.data(), m::countError);
                    if (!latch.await(30, TimeUnit.SECONDS)) {
                        System.err.println("corral-bench: a round of " + events + " did not complete in 30 s");
                        m.errors.add(settings.watchers() - received.get());
                        break;
                    }
                    if (start >= m.measureStart) {
                        rounds.incrementAndGet();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                m.extra.put("rounds", rounds.get());
                m.finished.countDown();
            }
        };
    }
}
