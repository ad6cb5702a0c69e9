package io.corral.server.quorum;

import io.corral.server.zab.Zxid;

import java.util.Collection;

import static io.corral.server.quorum.ShellSimulation.TICK;
import static io.corral.server.quorum.ShellSimulation.TICK_MS;

/**
 * Liveness, once the faults stop: one leader, every server serving, and new writes applied everywhere (and syncs
 * answered everywhere) within a bounded number of ticks.
 */
final class ShellSimLiveness {

    private final ShellSimRun run;
    private final ShellSimInvariants invariants;
    private final ShellSimClients clients;

    ShellSimLiveness(ShellSimRun run, ShellSimInvariants invariants, ShellSimClients clients) {
        this.run = run;
        this.invariants = invariants;
        this.clients = clients;
    }

    /** runs until the servers {@linkplain #converged() converge}, for {@code ticks} at most; fails if they do not */
    void awaitConverged(long ticks, String what) {
        long deadline = run.clock.now() + ticks * TICK;
        while (run.clock.now() < deadline && !converged()) {
            run.runFor(TICK_MS);
        }
        if (!converged()) {
            run.fail("no single leader served by everyone within " + ticks + " ticks of " + what);
        }
    }

    /** one leader serves, and every other server serves too */
    boolean converged() {
        return converged(run.servers.values());
    }

    /** of these servers, one leads and serves, and the others serve */
    boolean converged(Collection<ShellSimServer> these) {
        int leaders = 0;
        for (ShellSimServer s : these) {
            if (!s.alive || !s.quorum.serving()) {
                return false;
            }
            if (s.quorum.leads()) {
                leaders++;
            }
        }
        return leaders == 1;
    }

    /** after converging: new writes apply everywhere, and syncs everywhere are answered, within bounded ticks */
    void checkLive() {
        clients.stop();
        ShellSimServer leader = run.leader();
        long last = 0;
        for (int i = 0; i < 5; i++) {
            last = leader.write().zxid();
        }
        for (ShellSimServer s : run.servers.values()) {
            s.host.sync(invariants.knownCommitted());
            s.wake();
        }
        long deadline = run.clock.now() + 100 * TICK;
        while (run.clock.now() < deadline && !caughtUp(last)) {
            run.runFor(1);
        }
        for (ShellSimServer s : run.servers.values()) {
            if (s.host.appliedZxid() < last) {
                run.fail("server " + s.id + " applied only up to " + Zxid.toString(s.host.appliedZxid()) + ", not "
                        + Zxid.toString(last) + ", within 100 ticks");
            }
            if (s.host.syncsPending() > 0) {
                run.fail("server " + s.id + " has a sync not answered within 100 ticks");
            }
        }
        if (!clients.lost().isEmpty()) {
            run.fail("writes passed on (body=learner) " + clients.lost() + " were never proposed, and their learners "
                    + "did not change role since: a learner passes a write on only once");
        }
    }

    private boolean caughtUp(long zxid) {
        for (ShellSimServer s : run.servers.values()) {
            if (s.host.appliedZxid() < zxid || s.host.syncsPending() > 0) {
                return false;
            }
        }
        return true;
    }
}
