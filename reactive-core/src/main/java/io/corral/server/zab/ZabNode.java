package io.corral.server.zab;

import io.corral.log.LogEntry;
import io.corral.server.zab.ZabMessage.Vote;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The ZAB protocol of one ensemble member, as a deterministic state machine: no I/O, no clock, no threads, no
 * global randomness. Inputs are the methods below; every effect is an output collected until {@link #drain()}.
 * Not thread-safe: the shell calls it from one thread.
 *
 * <p>Election (fast leader election), discovery (the leader picks a new epoch from a quorum's accepted epochs),
 * synchronisation (DIFF, TRUNC + DIFF, or SNAP per learner, then NEWLEADER) and broadcast (PROPOSAL, ACK, COMMIT;
 * INFORM to observers) follow ZooKeeper; the differences are in the class comments of {@link Leader},
 * {@link Learner} and {@link ZabConfig#nextEpochAbove}.
 */
public final class ZabNode {

    /** the leader id of a server that is looking */
    public static final long NO_LEADER = -1;

    private final ZabConfig config;
    private final Memberships memberships;
    private final LogView log;
    private final SplittableRandom random;
    private final Set<Long> connected = new HashSet<>();
    private List<ZabOutput> outputs = new ArrayList<>();

    private long now;
    private long acceptedEpoch;
    private long currentEpoch;
    private long committedZxid;
    /** the election round; survives elections, not restarts */
    long logicalClock;
    private long nextSession;

    private Role role = Role.LOOKING;
    private long leaderId = NO_LEADER;
    /** the vote this server decided on, which it tells looking servers while not looking */
    private Vote decided;
    private Election election;
    private Leader leader;
    private Learner learner;
    private String lastChange = "start";
    /** a configuration activated during the current input, whose consequences for the role are still to be drawn */
    private boolean membershipChanged;

    /**
     * @param appliedZxid the zxid of the state the shell restored (its newest snapshot; 0 if none): everything up to
     *                    it is committed. The log beyond it is not applied until the core commits it.
     */
    public ZabNode(ZabConfig config, ZabStorage storage, long appliedZxid) {
        this(config, storage, appliedZxid, null);
    }

    /**
     * A member whose configuration may change ({@code reconfigEnabled=true}): {@code reconfiguration} holds the last
     * configuration it saw committed and how to recognise reconfig txns; null keeps the static membership of
     * {@code config}. The configuration's voters and observers replace the config's.
     */
    public ZabNode(ZabConfig config, ZabStorage storage, long appliedZxid, Reconfiguration reconfiguration) {
        this.config = config;
        this.memberships = reconfiguration == null ? new Memberships(config)
                : new Memberships(config.myId(), reconfiguration, storage, appliedZxid);
        this.log = new LogView(storage, appliedZxid);
        this.random = new SplittableRandom(config.seed());
        this.acceptedEpoch = storage.acceptedEpoch();
        this.currentEpoch = storage.currentEpoch();
        this.committedZxid = appliedZxid;
        this.nextSession = random.nextLong();
        becomeLooking("start");
    }

    // ---------------------------------------------------------------- inputs

    /** one tick of time has passed */
    public void tick() {
        now++;
        if (role == Role.LOOKING) {
            election.tick();
        } else if (role == Role.LEADING) {
            leader.tick();
        } else {
            learner.tick();
        }
        settleMembership();
    }

    /** a message from peer {@code from} */
    public void receive(long from, ZabMessage m) {
        if (!knownPeer(from) || m instanceof ZabMessage.App) {
            return;
        }
        dispatch(from, m);
        settleMembership();
    }

    private void dispatch(long from, ZabMessage m) {
        if (m instanceof ZabMessage.ConfigNotice c) {
            if (role == Role.LOOKING && memberships.adopt(c.membership())) {
                outputs.add(new ZabOutput.ActivateMembership(c.membership()));
                memberships.hint(c.proposed());
                becomeLooking("learned configuration " + Zxid.toString(c.membership().version()) + " from " + from);
            } else if (role == Role.LOOKING) {
                memberships.hint(c.proposed());
            }
            return;
        }
        if (m instanceof Vote v) {
            if (role == Role.LOOKING) {
                election.receive(from, v);
            } else if (v.state() == Role.LOOKING && learner != null && from == leaderId && learner.awaitsTakeOver()) {
                // the target of a handover is looking (it never heard of the handover): elect it instead
                becomeLooking("the handover target " + from + " is looking",
                        new Vote(0, from, decided.zxid(), decided.epoch(), Role.LOOKING));
            } else if (v.state() == Role.LOOKING && learner != null && from == leaderId && learner.leaderSpoke()) {
                // the leader left its term (it lost its quorum, say) and looks: ZooKeeper's learners learn that from
                // the connection it closes, but links here outlive terms, and a learner still synchronising would
                // wait initLimit for a leader that no longer leads, its vote missing from the election
                becomeLooking("leader " + from + " is looking");
            } else if (v.state() == Role.LOOKING && (memberships.active().isVoter(config.myId())
                    || role == Role.LEADING)) {
                send(from, new Vote(decided.round(), decided.leader(), decided.zxid(), decided.epoch(), role));
            } else if (v.state() == Role.LEADING && learner != null && from == leaderId) {
                learner.leaderAnnounced();
            }
            return;
        }
        if (role == Role.LEADING) {
            leader.receive(from, m);
        } else if (learner != null && from == leaderId) {
            learner.receive(m);
        }
    }

    /** the log is durable up to {@code zxid} (a zxid of a Persist output: the last one made durable) */
    public void persisted(long zxid) {
        if (!log.markPersisted(zxid)) {
            return;
        }
        if (role == Role.LEADING) {
            leader.persisted();
        } else if (learner != null) {
            learner.persisted();
        }
        settleMembership();
    }

    /** a connection to {@code peer} is up */
    public void connected(long peer) {
        if (!knownPeer(peer) || !connected.add(peer)) {
            return;
        }
        if (role == Role.LOOKING) {
            election.connected(peer);
        } else if (learner != null && peer == leaderId) {
            learner.connected();
        }
    }

    /** the connection to {@code peer} is lost (with whatever it carried) */
    public void disconnected(long peer) {
        if (!connected.remove(peer)) {
            return;
        }
        if (role == Role.LOOKING) {
            election.disconnected(peer);
        } else if (role == Role.LEADING) {
            leader.disconnected(peer);
        } else if (learner != null && peer == leaderId) {
            becomeLooking("lost the connection to leader " + peer);
        }
        settleMembership();
    }

    /**
     * A static member talks only to the members of its configuration; a dynamic one to any server, since a server
     * not in its configuration may be a new one syncing before the reconfig that adds it, or be added by a
     * reconfig it has not seen yet.
     */
    private boolean knownPeer(long peer) {
        return peer != config.myId() && (memberships.dynamic() || memberships.active().isMember(peer));
    }

    /**
     * Leader only, once established: replicate {@code e}, whose zxid must be {@link #nextZxid()}. With
     * reconfiguration, a reconfig txn is refused while another is in flight ({@link #reconfigInFlight()}) or without a
     * synchronised quorum of its voters ({@link #isQuorumSynced}).
     *
     * @throws IllegalStateException if this server may not propose now, or the zxid is not the next one
     */
    public void propose(LogEntry e) {
        if (!isEstablished()) {
            throw new IllegalStateException("not an established leader (" + role + ")");
        }
        leader.propose(e);
        settleMembership();
    }

    /**
     * The configuration in force: the last committed one. It changes when a reconfig txn commits
     * ({@link ZabOutput.ActivateMembership}).
     */
    public Membership membership() {
        return memberships.active();
    }

    /**
     * Whether a reconfig txn is in this server's log and not known committed: a leader proposes no other one
     * meanwhile (ZooKeeper answers RECONFIGINPROGRESS).
     */
    public boolean reconfigInFlight() {
        return memberships.reconfigPending();
    }

    /**
     * Established leader only: whether this leader and the followers synchronised with it make a quorum of the voters
     * of {@code next}; {@link #propose} refuses a reconfig txn without it (ZooKeeper's NewConfigNoQuorum).
     */
    public boolean isQuorumSynced(Membership next) {
        return role == Role.LEADING && leader.isQuorumSynced(next);
    }

    /**
     * Leader only, once established: hands leadership over to voter {@code target}, or to the most up-to-date
     * synchronised voter when it is {@link #NO_LEADER}. From this call on the node proposes nothing
     * ({@link #isEstablished()} is false, {@link ZabOutput.HandingOver} is emitted); it hands over once everything it
     * proposed is committed and the target holds it: the target then leads without an election, and the servers in
     * step with this one follow it after one round of synchronisation (see {@link Leader}). Calling it again during a
     * transfer changes nothing.
     *
     * @return the target
     * @throws IllegalStateException    if this server is not an established leader
     * @throws IllegalArgumentException if the target is not a synchronised voter following this leader
     */
    public long transferLeadership(long target) {
        if (role != Role.LEADING || !leader.established()) {
            throw new IllegalStateException("not an established leader (" + role + ")");
        }
        return leader.transfer(target);
    }

    /** whether this leader is handing over (it proposes nothing meanwhile) */
    public boolean handingOver() {
        return role == Role.LEADING && leader.transferring();
    }

    /**
     * Leader only, once established: asks for a read index, answered by {@link ZabOutput.ReadIndex} with this
     * {@code requestId} once a quorum of voters has confirmed, after this call, that this server still leads (or by
     * {@link ZabOutput.ReadIndexFailed} if it stops leading first). The index is the committed zxid at this call.
     * Requests pending together share one confirmation round; with none pending, no extra message is sent.
     *
     * @throws IllegalStateException if this server is not an established leader, or maxOutstanding requests are
     *                               pending already
     */
    public void readIndex(long requestId) {
        if (!isEstablished()) {
            throw new IllegalStateException("not an established leader (" + role + ")");
        }
        leader.readIndex(requestId);
    }

    /**
     * the shell's answer to {@link ZabOutput.TakeSnapshot}: the state machine at {@code zxid}, {@code size} bytes,
     * kept by the shell for {@link ZabOutput.SendSnapshotChunk}
     */
    public void snapshotTaken(long peer, long zxid, long size) {
        if (role == Role.LEADING) {
            leader.snapshotTaken(peer, zxid, size);
        }
    }

    /** the outputs accumulated since the previous drain */
    public Ready drain() {
        Ready ready = new Ready(outputs);
        outputs = new ArrayList<>();
        return ready;
    }

    // ---------------------------------------------------------------- state

    public Role role() {
        return role;
    }

    /** the current epoch: the leader's epoch once it is set (an established leader proposes in it) */
    public long epoch() {
        return currentEpoch;
    }

    public long acceptedEpoch() {
        return acceptedEpoch;
    }

    /** the leader this server leads, follows or observes; {@link #NO_LEADER} when looking */
    public long leaderId() {
        return leaderId;
    }

    public long committedZxid() {
        return committedZxid;
    }

    /** the last zxid of the history, durable or not */
    public long lastZxid() {
        return log.lastZxid();
    }

    /** the zxid up to which the log is durable, as reported by {@link #persisted} */
    public long persistedZxid() {
        return log.persistedZxid();
    }

    /** a leader that may propose: established, and not handing over */
    public boolean isEstablished() {
        return role == Role.LEADING && leader.established() && !leader.transferring();
    }

    /** a learner that is synchronised with its leader and may serve clients */
    public boolean isSynced() {
        return learner != null && learner.synced();
    }

    /** the zxid the next proposal must carry (meaningful on an established leader) */
    public long nextZxid() {
        long last = log.lastZxid();
        return Zxid.epoch(last) == currentEpoch ? last + 1 : Zxid.make(currentEpoch, 1);
    }

    /** learners connected to this leader, and of them the synchronised {voters, observers}; zeros otherwise */
    public int[] learnerCounts() {
        if (role != Role.LEADING) {
            return new int[] {0, 0, 0};
        }
        int[] synced = leader.syncedLearners();
        return new int[] {leader.learners(), synced[0], synced[1]};
    }

    /** the synchronised observers of this leader, in id order; none otherwise */
    public java.util.List<Long> syncedObservers() {
        return role == Role.LEADING ? leader.syncedObservers() : java.util.List.of();
    }

    /** read-index requests not confirmed yet (leader only; 0 otherwise) */
    public int pendingReadIndexes() {
        return role == Role.LEADING ? leader.pendingReads() : 0;
    }

    /** proposals not committed yet (leader only; 0 otherwise) */
    public int outstanding() {
        return role == Role.LEADING ? leader.outstanding() : 0;
    }

    public long myId() {
        return config.myId();
    }

    /** why the role last changed: for logs and failing tests */
    public String lastChange() {
        return lastChange;
    }

    @Override
    public String toString() {
        return "ZabNode[" + config.myId() + " " + role + " leader=" + leaderId + " epoch=" + currentEpoch + "/"
                + acceptedEpoch + " last=" + Zxid.toString(log.lastZxid()) + " durable="
                + Zxid.toString(log.persistedZxid()) + " committed=" + Zxid.toString(committedZxid) + " ("
                + lastChange + ")]";
    }

    // ---------------------------------------------------------------- for the role classes

    ZabConfig config() {
        return config;
    }

    Memberships memberships() {
        return memberships;
    }

    /** the epoch this server would lead above {@code atLeastAbove}: see {@link Membership#EPOCH_STRIDE} */
    long nextEpochAbove(long atLeastAbove) {
        return memberships.dynamic() ? Membership.epochAbove(config.myId(), atLeastAbove)
                : config.nextEpochAbove(atLeastAbove);
    }

    LogView log() {
        return log;
    }

    long now() {
        return now;
    }

    long currentEpoch() {
        return currentEpoch;
    }

    boolean isConnected(long peer) {
        return connected.contains(peer);
    }

    /** the peers with a connection, sorted (the order of sends must not vary) */
    Set<Long> connectedPeers() {
        return new java.util.TreeSet<>(connected);
    }

    int electionTimeout() {
        return config.electionTimeout() + random.nextInt(config.electionTimeout());
    }

    long newSession() {
        return nextSession++;
    }

    void send(long to, ZabMessage m) {
        if (connected.contains(to)) {
            if (m instanceof Vote && memberships.dynamic()) {
                outputs.add(new ZabOutput.Send(to, new ZabMessage.ConfigNotice(memberships.active(),
                        memberships.lastPending())));
            }
            outputs.add(new ZabOutput.Send(to, m));
        }
    }

    void output(ZabOutput o) {
        outputs.add(o);
    }

    void append(LogEntry e) {
        log.append(e);
        boolean activeTxnArrived = memberships.appended(e);
        outputs.add(new ZabOutput.Persist(e));
        if (activeTxnArrived) {
            // learned from a peer's notice while looking, its lines were known to the shell only in part: the
            // shell takes them from this txn now (it must not keep the new version with the old lines)
            outputs.add(new ZabOutput.ActivateMembership(memberships.active()));
        }
    }

    /** drops the history after {@code zxid} (a learner told TRUNC) */
    void truncate(long zxid) {
        log.truncate(zxid);
        memberships.truncated(zxid);
        outputs.add(new ZabOutput.Truncate(zxid));
    }

    void persistEpochs(long accepted, long current) {
        if (accepted == acceptedEpoch && current == currentEpoch) {
            return;
        }
        acceptedEpoch = accepted;
        currentEpoch = current;
        outputs.add(new ZabOutput.PersistEpochs(accepted, current));
    }

    /** commits up to {@code zxid}, which the history must hold */
    void commit(long zxid) {
        if (zxid > committedZxid) {
            committedZxid = zxid;
            outputs.add(new ZabOutput.Commit(zxid));
            Membership activated = memberships.committed(zxid);
            if (activated != null) {
                outputs.add(new ZabOutput.ActivateMembership(activated));
                membershipChanged = true;
            }
        }
    }

    /**
     * The consequences of a configuration that became active, drawn once the input that committed it is done (the
     * role classes finish their step first): a leader that is no longer a voter hands over, a learner whose role
     * changed (observer to voter, voter to observer) joins again in its new role, a removed server stops serving.
     */
    private void settleMembership() {
        if (!membershipChanged) {
            return;
        }
        membershipChanged = false;
        Membership m = memberships.active();
        long me = config.myId();
        String version = "configuration " + Zxid.toString(m.version());
        if (role == Role.LEADING) {
            leader.membershipChanged();
        } else if (memberships.removed()) {
            if (role != Role.LOOKING) {
                becomeLooking("removed by " + version);
            }
        } else if (role == Role.FOLLOWING && m.isObserver(me)) {
            becomeLooking("an observer from " + version);
        } else if (role == Role.FOLLOWING && m.isVoter(me) && acceptedEpoch > learner.epoch()) {
            // it followed without a vote, keeping a higher epoch it had accepted: as a voter it may not follow a
            // leader of a lower epoch (the uniqueness of epochs rests on that), so it joins again, through discovery
            becomeLooking("a voter from " + version + ", having accepted epoch " + acceptedEpoch + " above "
                    + learner.epoch());
        } else if (role == Role.OBSERVING && !m.isObserver(me)) {
            becomeLooking("a voter from " + version);
        }
    }

    /**
     * Once a term's epoch is current, every member reports its vote with that epoch, so that a looking server sees
     * them agree whenever each of them decided (ZooKeeper's updateElectionVote).
     */
    void updateDecidedEpoch(long epoch) {
        decided = new Vote(decided.round(), decided.leader(), decided.zxid(), epoch, decided.state());
    }

    /**
     * After a snapshot install the applied state is the snapshot's, committed by definition, with the configuration
     * the leader sent with it (null if none).
     */
    void resetCommitted(long zxid, Membership atSnapshot) {
        committedZxid = zxid;
        Membership before = memberships.active();
        memberships.installed(atSnapshot);
        if (atSnapshot != null && !atSnapshot.equals(before)) {
            outputs.add(new ZabOutput.ActivateMembership(atSnapshot));
            membershipChanged = true;
        }
    }

    void becomeLooking(String reason) {
        becomeLooking(reason, null);
    }

    /**
     * Looks for a leader; with {@code preferred}, a leader that handed over (its vote's leader, zxid and epoch), the
     * election prefers it over any candidate just as recent.
     */
    void becomeLooking(String reason, Vote preferred) {
        leaveRole();
        lastChange = reason;
        decided = null;
        leaderId = NO_LEADER;
        role = Role.LOOKING;
        outputs.add(new ZabOutput.RoleChange(Role.LOOKING, currentEpoch, NO_LEADER));
        election = new Election(this, preferred);
        election.start();
    }

    void becomeLeader(Vote vote) {
        lead(vote, "elected in round " + vote.round(), -1);
    }

    void becomeLearner(Vote vote, Role as) {
        follow(vote, "chose " + vote.leader() + " in round " + vote.round(), as, -1);
    }

    /** leads for {@code vote}; with {@code handoverEpoch} (else -1), as the target of that epoch's leader */
    void lead(Vote vote, String reason, long handoverEpoch) {
        leaveRole();
        memberships.dropHint();
        lastChange = reason;
        decided = vote;
        leaderId = config.myId();
        role = Role.LEADING;
        outputs.add(new ZabOutput.RoleChange(Role.LEADING, currentEpoch, leaderId));
        leader = new Leader(this, handoverEpoch);
        // a learner that decided first sent its info while this server was still looking, which drops it: the
        // announcement makes it say it again at once instead of at its next tick
        Vote announced = new Vote(vote.round(), vote.leader(), vote.zxid(), vote.epoch(), Role.LEADING);
        for (long peer : memberships.membersInForce()) {
            send(peer, announced);
        }
        leader.start();
    }

    /** learns from {@code vote}'s leader; with {@code handoverEpoch} (else -1), as a voter in step with that epoch */
    void follow(Vote vote, String reason, Role as, long handoverEpoch) {
        leaveRole();
        memberships.dropHint();
        lastChange = reason;
        decided = vote;
        leaderId = vote.leader();
        role = as;
        outputs.add(new ZabOutput.RoleChange(as, currentEpoch, leaderId));
        learner = new Learner(this, vote.leader(), as == Role.OBSERVING, handoverEpoch);
        learner.start();
    }

    private void leaveRole() {
        if (leader != null) {
            leader.abandonReads();
        }
        leader = null;
        learner = null;
        election = null;
    }
}
