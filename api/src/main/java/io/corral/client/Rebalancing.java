package io.corral.client;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * Moving the session to another server when a new server list says so (ZooKeeper's updateServerList): when
 * {@link HostList} says this client moves, the connection being left takes no new request, and once those in flight
 * are answered (or a third of the session timeout passed) it is closed and the session moves on through the failover
 * path to the server drawn. Kept apart from the session state machine in {@link ClientCore}; actor-confined.
 */
final class Rebalancing {
    /** The client's logger, as before this class was split off: log settings that name it still apply. */
    private static final Logger log = LoggerFactory.getLogger(ClientCore.class);

    private final ClientCore core;
    private final HostList hosts;
    /** The connection being left for another server once its requests are answered, or null. */
    private Wire leaving;
    private Disposable leaveTimer;

    Rebalancing(ClientCore core, HostList hosts) {
        this.core = core;
        this.hosts = hosts;
    }

    /** The server list is now {@code servers}; {@code wire} is the session's connection, or null. */
    void serversChanged(List<ConnectString.HostPort> servers, Wire wire) {
        ConnectString.HostPort on = wire == null ? null : wire.host;
        if (hosts.update(servers, on, wire == null ? null : wire.remoteAddress()) && core.connected()
                && leaving == null) {
            log.info("session 0x{}: the server list is now {}; leaving {} to rebalance",
                    Long.toHexString(core.currentSessionId()), hosts.hosts(), on);
            leaving = wire;
            Wire w = wire;
            leaveTimer = core.schedule(Math.max(1000, core.timeoutMs() / 3), () -> {
                if (leaving == w && core.isCurrent(w)) {
                    core.connectionLost(); // what is still unanswered fails with CONNECTIONLOSS (ZooKeeper's always)
                }
            });
            core.pump();
        }
    }

    /** Whether a connection is being left: it takes no new request. */
    boolean underway() {
        return leaving != null;
    }

    /** Whether {@code w} is the connection being left. */
    boolean leaves(Wire w) {
        return leaving == w;
    }

    /** The connection is gone: nothing is being left any more. */
    void ended() {
        leaving = null;
        ClientCore.dispose(leaveTimer);
    }
}
