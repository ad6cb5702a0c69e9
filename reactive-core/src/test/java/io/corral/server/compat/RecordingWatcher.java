package io.corral.server.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.Watcher.Event.KeeperState;

/**
 * A {@link Watcher} that records what it receives. Node events (type != None) go to one queue, connection state
 * changes (type None) to another; {@link #all()} keeps every node event in arrival order.
 */
public final class RecordingWatcher implements Watcher {

    /** How long {@link #next()} waits for an expected event. */
    public static final Duration EVENT_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #assertNoMore()} listens for unexpected events. */
    public static final Duration QUIET_PERIOD = Duration.ofMillis(200);

    private final BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<KeeperState> states = new LinkedBlockingQueue<>();
    private final List<WatchedEvent> all = new CopyOnWriteArrayList<>();

    @Override
    public void process(WatchedEvent event) {
        if (event.getType() == Event.EventType.None) {
            states.add(event.getState());
        } else {
            all.add(event);
            events.add(event);
        }
    }

    /** The next node event; fails if none arrives within {@link #EVENT_TIMEOUT}. */
    public WatchedEvent next() {
        return next(EVENT_TIMEOUT);
    }

    public WatchedEvent next(Duration timeout) {
        try {
            WatchedEvent e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) {
                fail("no watch event within " + timeout);
            }
            return e;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ie);
        }
    }

    /** The next node event, asserting its type and path. */
    public WatchedEvent expect(Event.EventType type, String path) {
        WatchedEvent e = next();
        assertThat(e.getType()).as("event type of %s", e).isEqualTo(type);
        assertThat(e.getPath()).as("event path of %s", e).isEqualTo(path);
        assertThat(e.getState()).as("event state of %s", e).isEqualTo(KeeperState.SyncConnected);
        return e;
    }

    /** Drains up to {@code n} node events, each within {@link #EVENT_TIMEOUT}. */
    public List<WatchedEvent> next(int n) {
        List<WatchedEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    /** Asserts that no further node event arrives within {@link #QUIET_PERIOD}. */
    public void assertNoMore() {
        assertNoMore(QUIET_PERIOD);
    }

    public void assertNoMore(Duration quiet) {
        try {
            WatchedEvent e = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(e).as("unexpected watch event").isNull();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ie);
        }
    }

    /** Waits until the connection state {@code state} has been reported (earlier states are consumed). */
    public void awaitState(KeeperState state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                KeeperState s = left <= 0 ? null : states.poll(left, TimeUnit.NANOSECONDS);
                if (s == null) {
                    fail("connection state " + state + " not reported within " + timeout);
                }
                if (s == state) {
                    return;
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ie);
        }
    }

    /** Node events not yet consumed by {@link #next()}. */
    public int pending() {
        return events.size();
    }

    /** Every node event received so far, in arrival order (not consumed by {@link #next()}). */
    public List<WatchedEvent> all() {
        return List.copyOf(all);
    }

    /** Forgets everything recorded so far. */
    public void clear() {
        events.clear();
        states.clear();
        all.clear();
    }
}
