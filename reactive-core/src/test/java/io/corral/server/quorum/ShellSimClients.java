package io.corral.server.quorum;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The clients' load, while it is on: now and then every serving server gets a round of clients, which write a few
 * txns at the leader, forward writes from learners, and sync anywhere; and the commit loop itself releases writes that
 * waited behind a read.
 */
final class ShellSimClients {

    private final ShellSimRun run;
    private final ShellSimInvariants invariants;
    private boolean on;
    /**
     * Writes a learner passed on that no leader has proposed yet, and the learner: each is proposed unless its learner
     * changes role first (its leader lost, the link to it reset, the term over), as the sequencer's learner counts on.
     */
    private final Map<Long, Long> passedOn = new HashMap<>();
    /** the bodies of the writes learners passed on that a leader proposed */
    private final Set<Long> forwardedBodies = new HashSet<>();
    /** the mean time between two rounds of clients */
    private long rateMicros;

    ShellSimClients(ShellSimRun run, ShellSimInvariants invariants) {
        this.run = run;
        this.invariants = invariants;
    }

    /** rounds of clients, one every {@code rateMicros} on average, until {@link #stop()} */
    void start(long rateMicros) {
        on = true;
        this.rateMicros = rateMicros;
        schedule();
    }

    /** rounds of clients from now on one every {@code rateMicros} on average (the round already scheduled stays) */
    void rate(long rateMicros) {
        this.rateMicros = rateMicros;
    }

    /** no more clients: a round already scheduled does nothing, and the commit loop releases no more writes */
    void stop() {
        on = false;
    }

    private void schedule() {
        run.clock.schedule(1 + run.rnd.nextLong(2 * rateMicros), () -> {
            if (!on) {
                return;
            }
            for (ShellSimServer s : run.servers.values()) {
                if (!s.alive || !s.quorum.serving()) {
                    continue;
                }
                if (s.quorum.leads()) {
                    if (s.quorum.hasRoom()) {
                        int n = 1 + run.rnd.nextInt(3);
                        for (int i = 0; i < n; i++) {
                            s.write();
                        }
                    }
                } else if (run.rnd.nextInt(4) == 0) {
                    passedOn.put(ByteBuffer.wrap(s.forward()).getLong(), s.id);
                }
                if (run.rnd.nextInt(10) == 0) {
                    s.host.sync(invariants.knownCommitted());
                }
                s.wake();
            }
            schedule();
        });
    }

    /** the leader proposes a write a learner's client sent; each is passed on once, so proposed once */
    void forwarded(SimStateMachine leader, long learner, byte[] request) {
        run.forwardedWrites++;
        long body = ByteBuffer.wrap(request).getLong();
        passedOn.remove(body);
        if (!forwardedBodies.add(body)) {
            run.fail("leader " + leader.id + " got the write " + body + " of " + learner + " a second time");
        }
        invariants.proposed(leader.propose(learner, 0, run.clock.getAsLong(), request));
    }

    /** the learner's role changed: what it passed on may be lost (the sequencer's learner passes it on again) */
    void roleChanged(long server) {
        passedOn.values().removeIf(learner -> learner == server);
    }

    /** writes passed on by learners that neither a leader proposed nor a role change of theirs excused */
    Map<Long, Long> lost() {
        return passedOn;
    }

    /**
     * Some writes waited behind a read of their connection, which waited for a commit: the commit loop releases them,
     * and they are proposed right there, as the sequencer does. Always when the shell takes a snapshot for a learner:
     * that commit loop runs inside the shell's own.
     */
    void afterApplying(SimStateMachine server) {
        ShellSimServer s = run.servers.get(server.id);
        if (on && s.quorum != null && s.leadsAndServes() && (server.snapshotting() || run.rnd.nextInt(8) == 0)) {
            run.releasedWrites++;
            s.write();
        }
    }
}
