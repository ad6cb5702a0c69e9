package io.corral.server.zab;

import java.util.Collection;
import java.util.Map;

/**
 * A leadership transfer (the model is Raft's TimeoutNow): on the leader, which voter takes over and until when the
 * leader waits for it to hold everything, then the HANDOVER; and what each member does when the leader hands over.
 */
final class LeadershipTransfer {

    private final ZabNode node;
    private final ZabConfig config;
    private final LogView log;
    private final Map<Long, LearnerHandler> handlers;
    /** the voter taking over, or {@link ZabNode#NO_LEADER} if no transfer is under way */
    private long target = ZabNode.NO_LEADER;
    private long deadline;

    LeadershipTransfer(ZabNode node, Map<Long, LearnerHandler> handlers) {
        this.node = node;
        this.config = node.config();
        this.log = node.log();
        this.handlers = handlers;
    }

    /** whether a transfer is under way (nothing may be proposed meanwhile) */
    boolean underWay() {
        return target != ZabNode.NO_LEADER;
    }

    long target() {
        return target;
    }

    boolean expired() {
        return underWay() && node.now() > deadline;
    }

    /**
     * Starts handing over to {@code requested}, or to the most up-to-date synchronised voter when it is
     * {@link ZabNode#NO_LEADER}; returns the target. Nothing more is proposed in this term; once everything proposed
     * is committed and the target holds it durably, every learner is told to elect the target (HANDOVER) and this
     * server looks too, for the target. If the target does not get there within syncLimit ticks (or its connection
     * drops), the transfer is abandoned and this server leads on.
     *
     * @throws IllegalArgumentException if the target is not a synchronised voter of this term
     */
    long start(long requested, long epoch) {
        if (underWay()) {
            return target;
        }
        long chosen = requested == ZabNode.NO_LEADER ? bestSuccessor(handlers.values(), node.membership()) : requested;
        LearnerHandler h = handlers.get(chosen);
        if (chosen == config.myId() || h == null || !h.countsForCommit() || !node.membership().isVoter(chosen)) {
            throw new IllegalArgumentException(chosen == ZabNode.NO_LEADER ? "no synchronised follower to hand over to"
                    : "server " + chosen + " is not a synchronised follower of this leader");
        }
        begin(chosen, epoch);
        return chosen;
    }

    /**
     * A configuration became active. A leader that is no longer a voter in it stops leading, as ZooKeeper's does: it
     * hands over to the new voter holding the most of its history (ZooKeeper's designated leader), or simply looks
     * if none is synchronised.
     */
    void membershipChanged(long epoch) {
        if (node.membership().isVoter(config.myId()) || underWay()) {
            return;
        }
        long chosen = bestSuccessor(handlers.values(), node.membership());
        if (chosen == ZabNode.NO_LEADER) {
            node.becomeLooking("removed from the voters by configuration "
                    + Zxid.toString(node.membership().version()) + ", no synchronised voter to hand over to");
            return;
        }
        begin(chosen, epoch);
    }

    private void begin(long chosen, long epoch) {
        target = chosen;
        deadline = node.now() + config.syncLimit();
        node.output(new ZabOutput.HandingOver(chosen));
        handOverIfReady(epoch);
    }

    void handOverIfReady(long epoch) {
        if (!underWay()) {
            return;
        }
        LearnerHandler h = handlers.get(target);
        long last = log.lastZxid();
        if (h == null || h.matchZxid != last || node.committedZxid() != last) {
            return;
        }
        ZabMessage.Handover handover = new ZabMessage.Handover(epoch, target, last);
        for (LearnerHandler l : handlers.values()) {
            node.send(l.peer, handover);
        }
        // follows the target, as its learners do
        handedOver(node, handover, "handed over to " + target);
    }

    void abandon(String why) {
        long abandoned = target;
        target = ZabNode.NO_LEADER;
        node.output(new ZabOutput.HandoverAbandoned(abandoned, why));
        if (!node.membership().isVoter(config.myId())) {
            node.becomeLooking("removed from the voters, and the handover to " + abandoned + " failed: " + why);
        }
    }

    /**
     * The synchronised voter of {@code membership} holding the most of the leader's history durably (the lowest id
     * among equals), or {@link ZabNode#NO_LEADER} if there is none.
     */
    private static long bestSuccessor(Collection<LearnerHandler> learners, Membership membership) {
        long best = ZabNode.NO_LEADER;
        long bestMatch = -1;
        for (LearnerHandler h : learners) {
            if (h.countsForCommit() && membership.isVoter(h.peer) && (h.matchZxid > bestMatch || (h.matchZxid == bestMatch && h.peer < best))) {
                best = h.peer;
                bestMatch = h.matchZxid;
            }
        }
        return best;
    }

    /**
     * The leader of {@code h.epoch()} handed over to {@code h.target()}, and {@code node} is that leader or one of
     * its learners. No election: the target leads at once, and a member connected to it follows it. A voter in step
     * with the old leader (it accepted no epoch since, so its log is a prefix of the target's) takes the shortcut of
     * {@link Leader} and {@link Learner}; the target takes it if it holds the whole history durably. Any other member
     * looks, preferring the target.
     */
    static void handedOver(ZabNode node, ZabMessage.Handover h, String reason) {
        long me = node.myId();
        Memberships memberships = node.memberships();
        LogView log = node.log();
        boolean inStep = memberships.isVoterInForce(me) && node.acceptedEpoch() == h.epoch()
                && node.currentEpoch() == h.epoch() && log.lastZxid() <= h.zxid();
        ZabMessage.Vote vote = new ZabMessage.Vote(node.logicalClock, h.target(), h.zxid(), h.epoch(), Role.LOOKING);
        if (h.target() == me && memberships.isVoterInForce(me)) {
            boolean holdsAll = inStep && log.lastZxid() == h.zxid() && log.persistedZxid() == h.zxid();
            node.lead(vote, reason, holdsAll ? h.epoch() : -1);
        } else if (h.target() == me || memberships.removed() || !node.isConnected(h.target())) {
            node.becomeLooking(reason, new ZabMessage.Vote(0, h.target(), h.zxid(), h.epoch(), Role.LOOKING));
        } else {
            node.follow(vote, reason, memberships.active().isObserver(me) ? Role.OBSERVING : Role.FOLLOWING,
                    inStep ? h.epoch() : -1);
        }
    }
}
