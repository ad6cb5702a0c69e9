package io.corral.server.zab;

import io.corral.log.LogEntry;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The safety invariants, checked as the run goes, and what they are checked against: every txn proposed, the one
 * committed sequence of which every server applies a prefix, the leader of each established epoch, and the last
 * committed configuration.
 */
final class SimInvariants {

    private final SimRun run;
    private final List<LogEntry> committed = new ArrayList<>();
    private final Map<Long, LogEntry> proposed = new HashMap<>();
    private final Map<Long, Long> leaderOfEpoch = new HashMap<>();
    private long nextBody;
    /**
     * The last committed configuration, by which durability is judged (every committed txn must be durable on a
     * quorum of its voters)
     */
    private Membership committedMembership;

    SimInvariants(SimRun run) {
        this.run = run;
        this.committedMembership = new Membership(0, run.voters, run.observers);
    }

    int committedCount() {
        return committed.size();
    }

    /** the zxid of the last txn committed, 0 if none */
    long lastCommitted() {
        return committed.isEmpty() ? 0 : committed.get(committed.size() - 1).zxid();
    }

    Membership committedMembership() {
        return committedMembership;
    }

    /** a client's txn proposed at {@code server}, with a body of its own; no zxid may be proposed twice */
    LogEntry clientProposal(long zxid, long server) {
        long body = nextBody++;
        LogEntry e = new LogEntry(zxid, server, (int) body, run.now(), 1, ByteBuffer.allocate(8).putLong(body).array());
        if (proposed.put(zxid, e) != null) {
            run.fail("zxid " + Zxid.toString(zxid) + " proposed twice");
        }
        return e;
    }

    void reconfigProposed(LogEntry e) {
        proposed.put(e.zxid(), e);
    }

    /** the leader refused the reconfig: it was never proposed */
    void reconfigRefused(LogEntry e) {
        proposed.remove(e.zxid());
    }

    /** a server persists only what was proposed */
    void checkPersisted(long server, LogEntry entry) {
        LogEntry known = proposed.get(entry.zxid());
        if (!entry.equals(known)) {
            run.fail("server " + server + " persists " + entry + " but " + known + " was proposed");
        }
    }

    /** at most one leader is established per epoch */
    void established(long epoch, long leader) {
        Long before = leaderOfEpoch.putIfAbsent(epoch, leader);
        if (before != null && before != leader) {
            run.fail("epoch " + epoch + " established by " + before + " and " + leader);
        }
    }

    /** the highest epoch whose leader has been established, 0 if none */
    long maxEstablished() {
        return leaderOfEpoch.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** server {@code server} applied {@code e} as its {@code index}-th txn */
    void checkApplied(long server, int index, LogEntry e) {
        if (index < committed.size()) {
            if (!committed.get(index).equals(e)) {
                run.fail("server " + server + " applied " + e + " where " + committed.get(index) + " was committed");
            }
            return;
        }
        if (!committed.isEmpty() && committed.get(committed.size() - 1).zxid() >= e.zxid()) {
            run.fail("committed zxids out of order: " + e);
        }
        committed.add(e);
        // a txn commits with a quorum of the configuration in force; a reconfig txn with one of its own too
        checkDurableOnQuorum(e, committedMembership, "committed");
        Membership next = run.dynamic ? TestMemberships.DECODER.decode(e) : null;
        if (next != null) {
            checkDurableOnQuorum(e, next, "committed reconfig");
            run.log("=== configuration " + Zxid.toString(e.zxid()) + " committed: " + next);
            committedMembership = next;
            run.reconfigsCommitted++;
        }
    }

    private void checkDurableOnQuorum(LogEntry e, Membership m, String what) {
        int holders = 0;
        for (long v : m.voters()) {
            if (run.servers.get(v).storage.holdsDurably(e)) {
                holders++;
            }
        }
        if (holders < m.quorum()) {
            run.fail(what + " " + e + " is durable on only " + holders + " voters of " + m);
        }
    }

    /** after anything that loses or removes data: every committed txn is still durable on a quorum of voters */
    void checkCommittedDurable(String after) {
        for (LogEntry e : committed) {
            checkDurableOnQuorum(e, committedMembership, "after " + after + ", committed");
        }
    }
}
