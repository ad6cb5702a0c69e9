package io.corral.server.zab;

import io.corral.log.LogEntry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * What a quorum of voters has reached, as the leader counts it: synchronisation with the leader, the zxid its commit
 * may advance to, and the heartbeat its read-index requests wait for. A voter counts only once synchronised in this
 * term; the leader's own durable zxid counts for it, and it answers its own heartbeats at once.
 */
final class QuorumReach {
    private final ZabNode node;
    private final LogView log;
    private final long myId;
    private final Map<Long, LearnerHandler> handlers;

    QuorumReach(ZabNode node, LogView log, Map<Long, LearnerHandler> handlers) {
        this.node = node;
        this.log = log;
        this.myId = node.config().myId();
        this.handlers = handlers;
    }

    /**
     * The highest zxid a quorum of voters holds durably; from a pending reconfig txn on, a quorum of the voters of
     * its configuration too (ZooKeeper's rule: a reconfig and everything after it commits only with a quorum of the
     * old and of the new configuration). {@code uncommitted}: the proposals not committed yet, in zxid order.
     */
    long commitCandidate(Iterable<LogEntry> uncommitted) {
        Memberships in = node.memberships();
        long candidate = durableAtQuorum(in.active());
        for (Map.Entry<Long, Membership> p : in.pending().entrySet()) {
            if (candidate < p.getKey()) {
                break;
            }
            long inNew = durableAtQuorum(p.getValue());
            if (inNew < candidate) {
                candidate = inNew >= p.getKey() ? inNew : lastBefore(p.getKey(), uncommitted);
            }
        }
        return candidate;
    }

    /** The highest heartbeat a quorum of the voters of every configuration in force has answered. */
    long heartbeatAnswered() {
        long confirmed = Long.MAX_VALUE;
        for (Membership m : node.memberships().inForce()) {
            confirmed = Math.min(confirmed, reachedByQuorum(m, Long.MAX_VALUE, h -> h.answeredHeartbeat));
        }
        return confirmed;
    }

    /**
     * Whether the leader and its synchronised followers hold a quorum of {@code m}'s voters (ZooKeeper's check). An
     * observer of the active configuration does not count even if its follower session is not gone yet: it is about
     * to join again as an observer, which acknowledges nothing, so {@code m} could never commit with it.
     */
    boolean isQuorumSynced(Membership m) {
        List<Long> synced = new ArrayList<>();
        synced.add(myId);
        for (LearnerHandler h : handlers.values()) {
            if (h.countsForCommit() && !node.membership().isObserver(h.peer)) {
                synced.add(h.peer);
            }
        }
        return m.isQuorum(synced);
    }

    /** the highest zxid a quorum of {@code m}'s voters holds durably (a voter without a session holds nothing) */
    private long durableAtQuorum(Membership m) {
        return reachedByQuorum(m, log.persistedZxid(), h -> h.matchZxid);
    }

    /**
     * The highest value a quorum of {@code m}'s voters has reached: this leader's is {@code mine}, a synchronised
     * follower's is {@code of} its session, any other voter's 0.
     */
    private long reachedByQuorum(Membership m, long mine, ToLongFunction<LearnerHandler> of) {
        long[] reached = new long[m.voters().size()];
        int n = 0;
        for (long voter : m.voters()) {
            LearnerHandler h = handlers.get(voter);
            reached[n++] = voter == myId ? mine : h != null && h.countsForCommit() ? of.applyAsLong(h) : 0;
        }
        Arrays.sort(reached);
        return reached[n - m.quorum()];
    }

    /** the zxid of the last entry below {@code zxid} (the committed point if none is uncommitted) */
    private long lastBefore(long zxid, Iterable<LogEntry> uncommitted) {
        long last = node.committedZxid();
        for (LogEntry e : uncommitted) {
            if (e.zxid() >= zxid) {
                break;
            }
            last = e.zxid();
        }
        return last;
    }
}
