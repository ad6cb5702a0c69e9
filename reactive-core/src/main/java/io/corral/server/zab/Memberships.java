package io.corral.server.zab;

import io.corral.log.LogEntry;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A node's configurations: the active one (the last committed) and those its log proposes beyond it (reconfig txns
 * not known committed; at most one while ZooKeeper's rule of one reconfig at a time holds). Every quorum decision of
 * the node (votes, the epoch, establishment, commits after a pending reconfig, read index) needs a quorum of each
 * configuration in force, as ZooKeeper requires of its current and last seen configurations: a reconfig commits only
 * with a quorum of the old and of the new voters, and until a server knows it committed, it cannot know which of the
 * two decides.
 *
 * <p>Without a {@link MembershipDecoder} the static membership of the {@link ZabConfig} never changes.
 */
final class Memberships {

    private final long myId;
    private final MembershipDecoder decoder;
    private Membership active;
    /**
     * A reconfig a peer has pending that this server lacks (its proposal never reached it), while it looks for a
     * leader: counted as in force, and a voter of it votes. Dropped once this server leads or follows.
     */
    private Membership hinted;
    /** a committed reconfig took this server out of the configuration it was in (and none put it back since) */
    private boolean removed;
    /**
     * The active configuration was learned from a peer ({@link #adopt}) and its reconfig txn is not in the log yet:
     * the shell knows only its ids, not the lines of its txn. Cleared when the txn arrives ({@link #appended}).
     */
    private boolean activeWithoutTxn;
    /** reconfig txns of the log above the active configuration, by zxid */
    private final TreeMap<Long, Membership> pending = new TreeMap<>();

    /** static: the membership of {@code config}, for good */
    Memberships(ZabConfig config) {
        this.myId = config.myId();
        this.decoder = null;
        this.active = Membership.of(config);
    }

    /**
     * Dynamic: starts from the last committed configuration the shell persisted, and reads the log after it once:
     * reconfig txns up to {@code appliedZxid} were committed (the restored state holds them), later ones are pending.
     */
    Memberships(long myId, Reconfiguration reconfiguration, ZabStorage storage, long appliedZxid) {
        this.myId = myId;
        this.decoder = reconfiguration.decoder();
        this.active = reconfiguration.committed();
        // the files hold a configuration learned from a peer before a crash, whose txn the history lacks still
        this.activeWithoutTxn = active.version() > storage.lastZxid();
        Iterator<LogEntry> it = storage.readAfter(active.version());
        try {
            while (it.hasNext()) {
                LogEntry e = it.next();
                Membership m = decode(e);
                if (m != null && e.zxid() <= appliedZxid) {
                    activate(m, true);
                } else if (m != null) {
                    pending.put(e.zxid(), m);
                }
            }
        } finally {
            if (it instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing a log reader", e);
                }
            }
        }
    }

    boolean dynamic() {
        return decoder != null;
    }

    Membership active() {
        return active;
    }

    boolean reconfigPending() {
        return !pending.isEmpty();
    }

    /** the newest reconfig pending in the log, or null */
    Membership lastPending() {
        return pending.isEmpty() ? null : pending.lastEntry().getValue();
    }

    /** the configuration {@code e} proposes (its version is the entry's zxid), or null */
    Membership decode(LogEntry e) {
        if (decoder == null) {
            return null;
        }
        Membership m = decoder.decode(e);
        return m == null ? null : new Membership(e.zxid(), m.voters(), m.observers());
    }

    /**
     * A txn reached the log. Returns true when it is the reconfig txn of the active configuration, which was learned
     * from a peer without it: the configuration must be activated again, now that its txn (the shell's lines) is here.
     */
    boolean appended(LogEntry e) {
        Membership m = decode(e);
        if (m != null && e.zxid() > active.version()) {
            pending.put(e.zxid(), m);
        } else if (m != null && activeWithoutTxn && e.zxid() == active.version()) {
            activeWithoutTxn = false;
            return true;
        }
        return false;
    }

    void truncated(long zxid) {
        pending.tailMap(zxid, false).clear();
    }

    /** the history is committed up to {@code zxid}: the newest configuration it commits becomes active, or null */
    Membership committed(long zxid) {
        Membership activated = null;
        while (!pending.isEmpty() && pending.firstKey() <= zxid) {
            activated = pending.pollFirstEntry().getValue();
        }
        if (activated != null) {
            activate(activated, true);
        }
        return activated;
    }

    /** {@code byCommit}: a reconfig txn of this server's own history committed, which may remove it */
    private void activate(Membership m, boolean byCommit) {
        removed = !m.isMember(myId) && (removed || (byCommit && active.isMember(myId)));
        active = m;
        activeWithoutTxn = !byCommit;
    }

    /**
     * Whether a committed reconfig removed this server from the configuration it was in: it serves no more. A server
     * that was never in the ensemble's configuration (a new one, synchronised from a snapshot of a configuration
     * without it) is not removed: it follows without a vote until a reconfig adds it.
     */
    boolean removed() {
        return removed && (hinted == null || !hinted.isMember(myId));
    }

    /** a peer's pending reconfig, newer than anything this server holds */
    void hint(Membership proposed) {
        long newest = pending.isEmpty() ? active.version() : pending.lastKey();
        if (proposed != null && proposed.version() > newest && (hinted == null || proposed.version() > hinted.version())) {
            hinted = proposed;
        }
    }

    /** leading or following now: a server the hint made a member again joined as one, and is no longer removed */
    void dropHint() {
        removed = removed();
        hinted = null;
    }

    /**
     * A peer's committed configuration, newer than ours (we missed its reconfig): it becomes active, and the pending
     * configurations it supersedes go (a reconfig txn at or below its version is committed, or never will be).
     *
     * @return whether it was adopted
     */
    boolean adopt(Membership committed) {
        if (committed.version() <= active.version()) {
            return false;
        }
        pending.headMap(committed.version(), true).clear();
        // a server in no configuration may be a new one as well as a removed one: only its own log tells
        activate(committed, false);
        return true;
    }

    /** a snapshot replaced the history: its configuration is active (null: the leader sent none, keep ours) */
    void installed(Membership atSnapshot) {
        pending.clear();
        if (atSnapshot != null) {
            active = atSnapshot;
            activeWithoutTxn = false; // its txn is inside the snapshot: it will not reach the log
        }
    }

    /** the active configuration and every pending one, oldest first */
    List<Membership> inForce() {
        List<Membership> all = new ArrayList<>(1 + pending.size());
        all.add(active);
        all.addAll(pending.values());
        if (hinted != null && hinted.version() > active.version() && !pending.containsKey(hinted.version())) {
            all.add(hinted);
        }
        return all;
    }

    /** pending configurations by the zxid of their txn */
    Map<Long, Membership> pending() {
        return pending;
    }

    /** whether {@code ids} hold a quorum of every configuration in force */
    boolean isQuorum(Iterable<Long> ids) {
        return isQuorumOfEach(ids, m -> true);
    }

    /**
     * Whether {@code ids} hold a quorum of every configuration in force that a leader of {@code leaderEpoch}, elected
     * with a history ending at {@code electedZxid}, may hold. A configuration pending here (or hinted) whose txn was
     * proposed in an earlier epoch and lies beyond that history was never committed (an established leader's history
     * holds every committed txn) and never will be (the leader truncates it): counting it would keep this server from
     * joining the leader for good (ReconfigSimulationTest seed 7352: a voter that had proposed a reconfig making it the
     * only voter, as a leader that then lost its quorum, never followed the leader the others elected).
     */
    boolean isQuorumUnder(Iterable<Long> ids, long electedZxid, long leaderEpoch) {
        return isQuorumOfEach(ids, m -> m.version() <= electedZxid || Zxid.epoch(m.version()) >= leaderEpoch);
    }

    /** whether {@code ids} hold a quorum of every configuration in force that {@code counts} */
    private boolean isQuorumOfEach(Iterable<Long> ids, Predicate<Membership> counts) {
        for (Membership m : inForce()) {
            if (counts.test(m) && !m.isQuorum(ids)) {
                return false;
            }
        }
        return true;
    }

    boolean isVoterInForce(long id) {
        for (Membership m : inForce()) {
            if (m.isVoter(id)) {
                return true;
            }
        }
        return false;
    }

    boolean isObserverInForce(long id) {
        for (Membership m : inForce()) {
            if (m.isObserver(id)) {
                return true;
            }
        }
        return false;
    }

    boolean isMemberInForce(long id) {
        return isVoterInForce(id) || isObserverInForce(id);
    }

    /** the voters of every configuration in force, sorted (the order of sends must not vary) */
    Set<Long> votersInForce() {
        Set<Long> all = new TreeSet<>();
        for (Membership m : inForce()) {
            all.addAll(m.voters());
        }
        return all;
    }

    /** the voters and observers of every configuration in force, sorted */
    Set<Long> membersInForce() {
        Set<Long> all = votersInForce();
        for (Membership m : inForce()) {
            all.addAll(m.observers());
        }
        return all;
    }
}
