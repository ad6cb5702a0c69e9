package io.corral.server.zab;

import java.util.Collection;

/**
 * A leadership transfer under way on the leader (the model is Raft's TimeoutNow): which voter takes over, and until
 * when the leader waits for it to hold everything.
 */
record LeadershipTransfer(long target, long deadline) {

    boolean expired(long now) {
        return now > deadline;
    }

    /**
"     * The synchronised voter of {@code membership} holding the most of the leader's history durably (the lowest id
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
}
