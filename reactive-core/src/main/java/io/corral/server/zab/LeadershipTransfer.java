package io.corral.server.zab;

import java.util.Collection;

/**
 * A leadership transfer under way on the leader (the model is Raft's TimeoutNow): which voter takes over, and until
 * when the leader waits for it to hold everything; and what each member does when the leader hands over.
 */
record LeadershipTransfer(long target, long deadline) {

    boolean expired(long now) {
        return now > deadline;
    }

    /**
     * The synchronised voter of {@code membership} holding the most of the leader's history durably (the lowest id
     * among equals), or {@link ZabNode#NO_LEADER} if there is none.
     */
    static long bestSuccessor(Collection<LearnerHandler> learners, Membership membership) {
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
