package io.corral.client;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import io.corral.client.ConnectString.HostPort;
import reactor.core.Disposable;

/**
 * While a session is on a read-only server: asks the other servers of the list in turn whether they serve writes
 * ({@link ReadWriteProbe}), with a pause that doubles from 100 ms up to a minute between two (ZooKeeper's client:
 * same), and reports the first that does. Confined to the client's actor, as {@link HostList}.
 */
final class ReadWriteSearch {
    private static final long MIN_PAUSE_MS = 100;
    private static final long MAX_PAUSE_MS = 60_000;

    private final HostList hosts;
    private final Executor actor;
    /** Runs a task on the actor after a delay in ms. */
    private final BiFunction<Long, Runnable, Disposable> schedule;
    private final Consumer<HostPort> found;
    /** Answers of an earlier search are ignored. */
    private int generation;
    private HostPort on;
    private int timeoutMs;
    private long pauseMs;
    private int nextIndex;
    private Disposable pending;

    ReadWriteSearch(HostList hosts, Executor actor, BiFunction<Long, Runnable, Disposable> schedule,
                    Consumer<HostPort> found) {
        this.hosts = hosts;
        this.actor = actor;
        this.schedule = schedule;
        this.found = found;
    }

    /** Starts searching: the session is now on {@code readOnly}, with this session timeout. */
    void start(HostPort readOnly, int sessionTimeoutMs) {
        stop();
        on = readOnly;
        timeoutMs = sessionTimeoutMs;
        pauseMs = MIN_PAUSE_MS;
        nextIndex = hosts.indexOf(readOnly) + 1;
        pauseThenProbe();
    }

    /** Stops searching (the connection is gone, or the session ends). */
    void stop() {
        generation++;
        on = null;
        if (pending != null) {
            pending.dispose();
            pending = null;
        }
    }

    private void pauseThenProbe() {
        int g = generation;
        pending = schedule.apply(pauseMs, () -> probeNext(g));
        pauseMs = Math.min(MAX_PAUSE_MS, pauseMs * 2);
    }

    private void probeNext(int g) {
        if (g != generation) {
            return;
        }
        int index = nextIndex % hosts.size();
        nextIndex = index + 1;
        HostPort host = hosts.at(index);
        if (host.equals(on)) {
            pauseThenProbe(); // the server the session is on said read-only already
            return;
        }
        Duration timeout = Duration.ofMillis(Math.max(1000, timeoutMs / hosts.size()));
        pending = ReadWriteProbe.isReadWrite(host, timeout)
                .subscribe(rw -> actor.execute(() -> answered(g, host, rw)));
    }

    private void answered(int g, HostPort host, boolean readWrite) {
        if (g != generation) {
            return;
        }
        if (!readWrite) {
            pauseThenProbe();
            return;
        }
        stop();
        found.accept(host);
    }
}
