package io.corral.client;

import java.util.concurrent.TimeUnit;

import io.corral.protocol.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Keeps the session alive on its connection and notices a dead server: a ping goes out when nothing was sent for a
 * third of the session timeout, and the connection is closed (the session moves on to another server) when the
 * server answered nothing for two thirds of it. Kept apart from the session state machine in {@link ClientCore};
 * its ticks run on the client's actor.
 */
final class KeepAlive {
    /** The client's logger, as before this class was split off: log settings that name it still apply. */
    private static final Logger log = LoggerFactory.getLogger(ClientCore.class);

    private final ClientCore core;
    private final Scheduler timers;
    private final SerialExecutor actor;
    private Disposable pingTimer;

    KeepAlive(ClientCore core, Scheduler timers, SerialExecutor actor) {
        this.core = core;
        this.timers = timers;
        this.actor = actor;
    }

    /** Looks after {@code w}, the session's new connection, instead of the previous one. */
    void start(Wire w) {
        ClientCore.dispose(pingTimer);
        // a ping goes out at most a tenth of the timeout late, and a dead server is noticed as soon
        long period = Math.max(10, core.timeoutMs() / 10);
        pingTimer = timers.schedulePeriodically(() -> actor.execute(() -> onPingTick(w)), period, period,
                TimeUnit.MILLISECONDS);
    }

    void stop() {
        ClientCore.dispose(pingTimer);
    }

    private void onPingTick(Wire w) {
        if (!core.isCurrent(w)) {
            return;
        }
        int timeoutMs = core.timeoutMs();
        long now = System.nanoTime();
        if (now - w.lastAnswerNanos > TimeUnit.MILLISECONDS.toNanos(timeoutMs * 2L / 3)) {
            log.info("session 0x{}: no answer from {} for 2/3 of the session timeout, reconnecting",
                    Long.toHexString(core.currentSessionId()), w.host);
            w.close();
        } else if (now - w.lastSendNanos >= TimeUnit.MILLISECONDS.toNanos(timeoutMs / 3)) {
            w.send(Frames.request(w.alloc(), ClientCore.XID_PING, OpCode.PING, null));
        }
    }
}
