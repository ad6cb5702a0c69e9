package io.corral.server.zab;

import io.corral.server.zab.ZabMessage.Vote;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fast leader election while the node is LOOKING, as ZooKeeper runs it. A voter proposes the best candidate it has
 * heard of, ordered by (current epoch, last zxid, id), in its election round, and adopts any higher round it hears.
 * It decides when a quorum of voters proposes the same candidate in its round: at once if every voter it is connected
 * to has spoken, otherwise at the next tick if no better vote came meanwhile (ZooKeeper's finalize wait). It also joins an existing
 * leader when a quorum of voters reports following it and the leader itself reports leading. An observer never
 * proposes: it only joins an existing leader that way.
 *
 * <p>After a leadership transfer, the election prefers the target its leader named (HANDOVER): a voter proposes the
 * target rather than itself, and between candidates with the same epoch and zxid the target wins, whatever the ids.
 * The target holds the whole history, so it is at least as recent as any voter and the election ends in one round of
 * votes. The preference only breaks ties (the order by epoch and zxid stands), and it ends if the connection to the
 * target is lost (a new round starts without it).
 */
final class Election {

    private final ZabNode node;
    private final ZabConfig config;
    /** this round's votes of other voters (looking or not) */
    private final Map<Long, Vote> received = new HashMap<>();
    /** the latest vote of each voter that is following or leading */
    private final Map<Long, Vote> settled = new HashMap<>();
    private Vote proposal;
    private boolean decidePending;
    private long resendAt;
    /** the target of a leadership transfer (its leader, zxid and epoch), or null */
    private Vote preferred;
    /**
     * The tick after which the preference ends, decided or not: servers that lost it (their connection to the target
     * dropped) rank candidates by id again, and the target's own preference for itself must not outlast theirs.
     */
    private final long preferredUntil;

    Election(ZabNode node, Vote preferred) {
        this.node = node;
        this.config = node.config();
        this.preferred = preferred != null && node.membership().isVoter(preferred.leader()) ? preferred : null;
        this.preferredUntil = node.now() + config.initLimit();
    }

    /** opens a new round with a vote for this server (or the preferred target), and sends it */
    void start() {
        node.logicalClock++;
        received.clear();
        decidePending = false;
        proposal = ownCandidate();
        broadcast();
        if (amVoter() && node.memberships().isQuorum(Set.of(config.myId()))) {
            decide(proposal); // an ensemble of one
        }
    }

    /**
     * A voter of a configuration in force votes: of the committed one, or of a pending reconfig in its log (whose
     * quorum the election needs too; votes only rank candidates, the quorums are counted per configuration).
     */
    private boolean amVoter() {
        return node.memberships().isVoterInForce(config.myId());
    }

    private Vote self() {
        return new Vote(node.logicalClock, config.myId(), node.lastZxid(), node.currentEpoch(), Role.LOOKING);
    }

    /** the preferred target while it is reachable and at least as recent as this server; this server otherwise */
    private Vote ownCandidate() {
        Vote mine = self();
        if (preferred == null || preferred.leader() == config.myId() || !node.isConnected(preferred.leader())) {
            return mine;
        }
        Vote target = new Vote(node.logicalClock, preferred.leader(), preferred.zxid(), preferred.epoch(),
                Role.LOOKING);
        return better(mine, target) ? mine : target;
    }

    /** {@code a} beats {@code b}: by epoch, zxid, then id, except that the preferred target wins ties */
    private boolean better(Vote a, Vote b) {
        if (preferred != null && a.epoch() == b.epoch() && a.zxid() == b.zxid() && a.leader() != b.leader()) {
            if (a.leader() == preferred.leader()) {
                return true;
            }
            if (b.leader() == preferred.leader()) {
                return false;
            }
        }
        return a.beats(b);
    }

    /** the preferred target is gone: a new round, without the preference */
    void disconnected(long peer) {
        if (preferred != null && preferred.leader() == peer) {
            preferred = null;
            if (proposal.leader() == peer) {
                start();
            }
        }
    }

    /**
     * Who hears this server's votes: the voters in force; with reconfiguration every server it is connected to as
     * well, since its configuration may be older than theirs (each answers with its configuration and its leader).
     */
    private Set<Long> targets() {
        Set<Long> targets = node.memberships().votersInForce();
        if (node.memberships().dynamic()) {
            targets.addAll(node.connectedPeers());
        }
        return targets;
    }

    Vote proposal() {
        return proposal;
    }

    void connected(long peer) {
        if (node.memberships().dynamic() || node.memberships().isVoterInForce(peer)) {
            node.send(peer, proposal);
        }
    }

    void tick() {
        if (preferred != null && node.now() > preferredUntil) {
            preferred = null;
            start();
            return;
        }
        if (decidePending) {
            decidePending = false;
            if (hasQuorum(received, proposal) && decide(proposal)) {
                return;
            }
        }
        if (node.now() >= resendAt) {
            broadcast();
        }
    }

    private void broadcast() {
        for (long peer : targets()) {
            if (peer != config.myId()) {
                node.send(peer, proposal);
            }
        }
        resendAt = node.now() + node.electionTimeout();
    }

    void receive(long from, Vote v) {
        if (!node.memberships().isVoterInForce(from)) {
            // an observer (or a server not in the configuration) looking for the leader: tell it what we know
            if (v.state() == Role.LOOKING && amVoter()) {
                node.send(from, proposal);
            } else if (leaderSaysSo(from, v)) {
                // a leader our configuration does not know yet (it is older than the ensemble's)
                settled.put(from, v);
                if (leaderConfirmed(settled, v)) {
                    node.logicalClock = Math.max(node.logicalClock, v.round());
                    decide(v);
                }
            }
            return;
        }
        if (v.state() == Role.OBSERVING) {
            return;
        }
        if (!amVoter()) {
            if (v.state() != Role.LOOKING) {
                settled.put(from, v);
                if ((settledQuorum(v) || leaderSaysSo(from, v)) && leaderConfirmed(settled, v)) {
                    decide(v);
                }
            }
            return;
        }
        if (v.state() == Role.LOOKING) {
            receiveLooking(from, v);
        } else {
            receiveSettled(from, v);
        }
    }

    private void receiveLooking(long from, Vote v) {
        if (v.round() > node.logicalClock) {
            node.logicalClock = v.round();
            received.clear();
            decidePending = false;
            Vote mine = ownCandidate();
            proposal = better(candidate(v), mine) ? candidate(v) : mine;
            broadcast();
        } else if (v.round() < node.logicalClock) {
            // the sender is behind: our vote pulls it into our round
            node.send(from, proposal);
            return;
        } else if (better(candidate(v), proposal)) {
            proposal = candidate(v);
            decidePending = false;
            broadcast();
        }
        received.put(from, v);
        if (hasQuorum(received, proposal)) {
            if (everyReachableVoterSpoke()) {
                decide(proposal);
            } else {
                decidePending = true;
            }
        }
    }

    /**
     * The finalize wait lets a better vote arrive; a voter this server has no connection to cannot send one (a
     * dead leader's links drop at once), so it is not waited for.
     */
    private boolean everyReachableVoterSpoke() {
        for (long voter : node.memberships().votersInForce()) {
            if (voter != config.myId() && !received.containsKey(voter) && node.isConnected(voter)) {
                return false;
            }
        }
        return true;
    }

    private void receiveSettled(long from, Vote v) {
        if (v.round() == node.logicalClock) {
            received.put(from, v);
            if (hasQuorum(received, v) && leaderConfirmed(received, v) && decide(v)) {
                return;
            }
        }
        settled.put(from, v);
        if ((settledQuorum(v) || leaderSaysSo(from, v)) && leaderConfirmed(settled, v)) {
            node.logicalClock = v.round();
            decide(v);
        }
    }

    /** {@code v} as this round's candidate */
    private Vote candidate(Vote v) {
        return new Vote(node.logicalClock, v.leader(), v.zxid(), v.epoch(), Role.LOOKING);
    }

    /** whether a quorum of voters (this one included, if it proposes the same) votes for {@code v}'s candidate */
    private boolean hasQuorum(Map<Long, Vote> votes, Vote v) {
        List<Long> ids = new ArrayList<>();
        if (amVoter() && proposal.sameAs(v)) {
            ids.add(config.myId());
        }
        for (Map.Entry<Long, Vote> e : votes.entrySet()) {
            if (e.getValue().sameAs(v)) {
                ids.add(e.getKey());
            }
        }
        return node.memberships().isQuorum(ids);
    }

    /**
     * whether a quorum of voters reports following or leading {@code v}'s leader in {@code v}'s epoch: servers that
     * joined a leader at different times decided in different rounds, so the round is not compared (as ZooKeeper).
     * A configuration this server holds pending that the leader's history cannot hold counts for nothing (see
     * {@link Memberships#isQuorumUnder}).
     */
    private boolean settledQuorum(Vote v) {
        List<Long> ids = new ArrayList<>();
        for (Map.Entry<Long, Vote> e : settled.entrySet()) {
            Vote s = e.getValue();
            if (s.leader() == v.leader() && s.epoch() == v.epoch()) {
                ids.add(e.getKey());
            }
        }
        return node.memberships().isQuorumUnder(ids, v.zxid(), v.epoch());
    }

    /**
     * With reconfiguration, a server joins a leader on that leader's own word: its configuration may be older than
     * the ensemble's (a new server, or one that missed the reconfig adding it), so the voters it would count may no
     * longer be the ones following. Joining decides nothing (the leader counts only its own configuration's voters,
     * and a follower of a leader that is not established gives up within initLimit), and a removed server joins
     * nobody ({@link #decide}).
     */
    private boolean leaderSaysSo(long from, Vote v) {
        return node.memberships().dynamic() && from == v.leader() && v.state() == Role.LEADING
                && v.epoch() >= node.acceptedEpoch();
    }

    /** a leader other than us must itself say it leads; we may only take a lead decided in our own round */
    private boolean leaderConfirmed(Map<Long, Vote> votes, Vote v) {
        if (v.leader() == config.myId()) {
            return v.round() == node.logicalClock;
        }
        Vote leaders = votes.get(v.leader());
        return leaders != null && leaders.state() == Role.LEADING;
    }

    /** @return whether the node left LOOKING */
    private boolean decide(Vote v) {
        Vote decided = new Vote(v.round(), v.leader(), v.zxid(), v.epoch(), Role.LOOKING);
        if (v.leader() == config.myId()) {
            if (!amVoter()) {
                return false;
            }
            node.becomeLeader(decided);
        } else if (node.memberships().removed()) {
            // a server a committed reconfig removed serves no more: it joins no leader
            return false;
        } else if (!node.memberships().dynamic() && !node.membership().isVoter(v.leader())) {
            return false;
        } else if (node.membership().isObserver(config.myId())) {
            node.becomeLearner(decided, Role.OBSERVING);
        } else {
            // a voter, or (with reconfiguration) a server in no configuration yet: a follower without a vote
            node.becomeLearner(decided, Role.FOLLOWING);
        }
        return true;
    }
}
