package io.corral.server.quorum;

import io.corral.log.LogEntry;
import io.corral.server.zab.Zxid;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The safety invariants, checked as the run goes, and what they are checked against: every txn proposed, the one
 * committed sequence of which every server applies a prefix, and the leader of each epoch. At most one leader serves
 * per epoch; every server applies a prefix of one committed sequence in strictly increasing zxid order; every applied
 * txn is durable on a quorum of voters, and stays so through crashes, truncations, snapshots and purges; no zxid is
 * proposed twice and every learner persists what was proposed; a sync is answered at or above every commit known when
 * it was asked.
 */
final class ShellSimInvariants {

    private final ShellSimRun run;
    private final List<LogEntry> committed = new ArrayList<>();
    private final Map<Long, LogEntry> proposed = new HashMap<>();
    private final Map<Long, Long> leaderOfEpoch = new HashMap<>();
    private long nextBody;

    ShellSimInvariants(ShellSimRun run) {
        this.run = run;
    }

    int committedCount() {
        return committed.size();
    }

    long lastCommitted() {
        return committed.isEmpty() ? 0 : committed.get(committed.size() - 1).zxid();
    }

    /** the highest zxid whose commit any server knows of */
    long knownCommitted() {
        long known = lastCommitted();
        for (ShellSimServer s : run.servers.values()) {
            if (s.alive) {
                known = Math.max(known, s.quorum.committedZxid());
            }
        }
        return known;
    }

    /** the body of a client's write: each its own, so that two txns never look alike */
    byte[] newBody() {
        return ByteBuffer.allocate(8).putLong(nextBody++).array();
    }

    /** a leader proposed {@code e}: no zxid may be proposed twice */
    void proposed(LogEntry e) {
        LogEntry before = proposed.put(e.zxid(), e);
        if (before != null) {
            run.fail("zxid " + Zxid.toString(e.zxid()) + " proposed twice: " + before + " and " + e);
        }
    }

    /** the server applied {@code e} as its {@code index}-th txn: a prefix of one committed sequence, durable */
    void applied(long server, int index, LogEntry e) {
        if (index < committed.size()) {
            if (!committed.get(index).equals(e)) {
                run.fail("server " + server + " applied " + e + " as txn " + index + " where " + committed.get(index)
                        + " was committed");
            }
            return;
        }
        if (index > committed.size()) {
            run.fail("server " + server + " applied txn " + index + " but only " + committed.size() + " are known");
        }
        if (!committed.isEmpty() && lastCommitted() >= e.zxid()) {
            run.fail("committed zxids out of order: " + e + " after " + Zxid.toString(lastCommitted()));
        }
        committed.add(e);
        int holders = durableHolders(e);
        if (holders < quorumSize()) {
            run.fail("server " + server + " applied " + e + ", durable on only " + holders + " voters");
        }
    }

    /** a learner persists only what was proposed */
    void learned(long server, LogEntry e) {
        LogEntry known = proposed.get(e.zxid());
        if (!e.equals(known)) {
            run.fail("server " + server + " learned " + e + " but " + known + " was proposed");
        }
    }

    /** at most one leader per epoch */
    void leading(long server, long epoch) {
        Long before = leaderOfEpoch.putIfAbsent(epoch, server);
        if (before != null && before != server) {
            run.fail("epoch " + epoch + " led by " + before + " and " + server);
        }
    }

    /** a snapshot ends where it says, and what it holds is applied as a prefix of the committed sequence */
    void installed(long server, long zxid, List<LogEntry> entries) {
        long last = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).zxid();
        if (last != zxid) {
            run.fail("server " + server + " got a snapshot at " + Zxid.toString(zxid) + " that ends at "
                    + Zxid.toString(last));
        }
        for (int i = 0; i < entries.size(); i++) {
            applied(server, i, entries.get(i));
        }
    }

    /** a sync is answered at or above every commit known when it was asked, and not above every commit */
    void syncAnswered(long server, long zxid, long known) {
        if (zxid < known) {
            run.fail("server " + server + " got a sync answered at " + Zxid.toString(zxid) + ", but "
                    + Zxid.toString(known) + " was known committed when it was asked");
        }
        if (zxid > knownCommitted()) {
            run.fail("server " + server + " got a sync answered at " + Zxid.toString(zxid) + ", above every commit");
        }
    }

    private int quorumSize() {
        return run.voters.size() / 2 + 1;
    }

    private int durableHolders(LogEntry e) {
        int holders = 0;
        for (long v : run.voters) {
            if (run.servers.get(v).holdsDurably(e)) {
                holders++;
            }
        }
        return holders;
    }

    /** after anything that loses or removes data: every committed txn is still durable on a quorum of voters */
    void checkCommittedDurable(String after) {
        for (LogEntry e : committed) {
            int holders = durableHolders(e);
            if (holders < quorumSize()) {
                run.fail("after " + after + ", committed " + e + " is durable on only " + holders + " voters");
            }
        }
    }
}
