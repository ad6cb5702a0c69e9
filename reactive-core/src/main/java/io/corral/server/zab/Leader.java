package io.corral.server.zab;

import io.corral.log.LogEntry;
import io.corral.server.zab.ZabMessage.Ack;
import io.corral.server.zab.ZabMessage.AckEpoch;
import io.corral.server.zab.ZabMessage.AckNewLeader;
import io.corral.server.zab.ZabMessage.Commit;
import io.corral.server.zab.ZabMessage.FollowerInfo;
import io.corral.server.zab.ZabMessage.Inform;
import io.corral.server.zab.ZabMessage.LeaderInfo;
import io.corral.server.zab.ZabMessage.ObserverInfo;
import io.corral.server.zab.ZabMessage.Ping;
import io.corral.server.zab.ZabMessage.Proposal;
import io.corral.server.zab.ZabMessage.SyncAck;
import io.corral.server.zab.ZabMessage.UpToDate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One leadership term, from election to stepping down.
 *
 * <p>Discovery: once a quorum of voters (itself included) has sent its info, the leader takes an epoch above every
 * accepted epoch it heard ({@link ZabConfig#nextEpochAbove}), persists it as accepted and sends LEADERINFO. It makes
 * the epoch current once a quorum of voters that are not more recent than itself (by current epoch, then last zxid)
 * acknowledged it and its own log is durable: only then is its history sure to hold every committed txn, and only
 * then is it safe to persist a current epoch that vouches for that history.
 *
 * <p>Synchronisation: per learner, the exact common point of both histories (from the learner's epoch ends) decides
 * DIFF, TRUNC then DIFF, or SNAP (when the missing entries are no longer in the log, more than the diff limit, or the
 * common point is below what the learner already committed). What the learner lacks then streams to it, read from
 * the log a batch at a time: the snapshot in chunks, then the entries as PROPOSALs, never more than the sync window
 * beyond what the learner acknowledged durable (SYNCACK), so a learner any distance behind catches up with bounded
 * memory on both sides and on the link. The leader goes on broadcasting meanwhile: its new proposals land in its log
 * and reach the learner through the stream; once the stream has caught up with the log, NEWLEADER follows and the
 * learner gets later proposals as they are made. While streaming the leader also tells the learner how far its
 * stream is committed, so the learner applies as it goes ({@link LearnerStreams}). Established once a quorum of voters
 * acknowledged NEWLEADER (its own durability counts): the synchronised history is committed and UPTODATE sent.
 *
 * <p>Taking over from a handover: the target of a leader that handed over skips the election and, for the voters in
 * step with that leader, discovery; see {@link #takeOver}.
 *
 * <p>Broadcast: a proposal commits when a quorum of voters holds it durably; commits are cumulative, so strictly in
 * zxid order. Observers get INFORMs of committed txns only. The leader steps down when not established within
 * initLimit ticks of its election or of the last progress of a synchronisation (a stream's acknowledgement, or a
 * learner's first NEWLEADER acknowledgement of the term), when fewer than a quorum of voters (itself included) were
 * heard within syncLimit ticks, or when a voter has accepted a higher epoch (it could never follow this one).
 */
final class Leader {

    private enum Phase { DISCOVERY, EPOCH_ACKS, SYNCING, BROADCAST, HANDOVER }

    private final ZabNode node;
    private final ZabConfig config;
    private final LogView log;
    private final long startTick;
    /** its own state at election, against which "more recent" learners are judged */
    private final long startEpoch;
    private final long startZxid;
    /** the epoch of the leader that handed over to this one holding its whole history; -1 if elected */
    private final long handoverEpoch;
    private final Map<Long, LearnerHandler> handlers = new HashMap<>();
    private final QuorumReach reach;
    /** proposals not committed yet, in zxid order */
    private final ArrayDeque<LogEntry> uncommitted = new ArrayDeque<>();
    /** read-index requests waiting for a quorum to answer a heartbeat */
    private final ReadIndexRounds reads;
    private final LearnerStreams streams;
    private Phase phase = Phase.DISCOVERY;
    private long epoch = -1;
    private boolean epochQuorum;
    /** the history at the moment the epoch became current: committed once established */
    private long historyEnd;
    /** the tick of the last synchronisation progress before establishment (a learner's acknowledgement) */
    private long lastSyncProgress;
    /** the learners that acknowledged NEWLEADER in this term, whether still connected or not */
    private final Set<Long> acknowledgedNewLeader = new HashSet<>();
    private final LeadershipTransfer transfer;

    /** Learners that are synchronised (NEWLEADER acknowledged): {voters, observers}. */
    int[] syncedLearners() {
        int voters = 0;
        int observers = 0;
        for (LearnerHandler h : handlers.values()) {
            if (h.newLeaderAcked) {
                if (h.observer) {
                    observers++;
                } else {
                    voters++;
                }
            }
        }
        return new int[] {voters, observers};
    }

    int learners() {
        return handlers.size();
    }

    /** The synchronised observers' ids, in id order. */
    java.util.List<Long> syncedObservers() {
        return handlers.values().stream().filter(h -> h.observer && h.newLeaderAcked).map(h -> h.peer).sorted()
                .toList();
    }

    Leader(ZabNode node, long handoverEpoch) {
        this.node = node;
        this.config = node.config();
        this.log = node.log();
        this.startTick = node.now();
        this.startEpoch = node.currentEpoch();
        this.startZxid = log.lastZxid();
        this.reads = new ReadIndexRounds(config.maxOutstanding());
        this.handoverEpoch = handoverEpoch;
        this.streams = new LearnerStreams(node);
        this.reach = new QuorumReach(node, log, handlers);
        this.transfer = new LeadershipTransfer(node, handlers);
    }

    void start() {
        if (handoverEpoch >= 0) {
            takeOver();
        } else {
            chooseEpochIfQuorum();
        }
    }

    boolean established() {
        return phase == Phase.BROADCAST;
    }

    /** whether a leadership transfer is under way (nothing may be proposed meanwhile) */
    boolean transferring() {
        return transfer.underWay();
    }

    int outstanding() {
        return uncommitted.size();
    }

    int pendingReads() {
        return reads.size();
    }

    // ---------------------------------------------------------------- inputs

    void tick() {
        if (transfer.expired()) {
            transfer.abandon("the target did not catch up within syncLimit");
            if (node.role() != Role.LEADING) {
                return;
            }
        }
        Ping ping = new Ping(epoch, node.committedZxid(), reads.nextHeartbeat());
        for (LearnerHandler h : handlers.values()) {
            node.send(h.peer, ping);
        }
        if (phase != Phase.BROADCAST) {
            if (node.now() - Math.max(startTick, lastSyncProgress) > config.initLimit()) {
                node.becomeLooking("not established within initLimit");
            }
            return;
        }
        List<Long> live = new ArrayList<>();
        live.add(config.myId());
        for (LearnerHandler h : handlers.values()) {
            if (h.countsForCommit() && node.now() - h.lastHeard <= config.syncLimit()) {
                live.add(h.peer);
            }
        }
        if (!node.memberships().isQuorum(live)) {
            node.becomeLooking("lost the quorum of followers");
        }
    }

    void disconnected(long peer) {
        handlers.remove(peer);
        if (transfer.underWay() && transfer.target() == peer) {
            transfer.abandon("lost the connection to the target");
        }
    }

    void persisted() {
        if (phase == Phase.EPOCH_ACKS) {
            activateEpochIfReady();
        } else if (phase == Phase.BROADCAST) {
            advanceCommit();
            transfer.handOverIfReady(epoch);
        }
    }

    void receive(long from, ZabMessage m) {
        if (m instanceof FollowerInfo f) {
            if (acceptsLearner(from)) {
                learnerInfo(from, false, f.session(), f.acceptedEpoch());
            }
            return;
        }
        if (m instanceof ZabMessage.HandoverInfo hi) {
            handoverInfo(from, hi);
            return;
        }
        if (m instanceof ObserverInfo o) {
            if (node.membership().isObserver(from) || node.memberships().dynamic()) {
                learnerInfo(from, true, o.session(), o.acceptedEpoch());
            }
            return;
        }
        LearnerHandler h = handlers.get(from);
        if (h == null) {
            return;
        }
        h.lastHeard = node.now();
        if (m instanceof AckEpoch a) {
            ackEpoch(h, a);
        } else if (m instanceof AckNewLeader a) {
            ackNewLeader(h, a);
        } else if (m instanceof SyncAck a) {
            syncAcknowledged(h, a);
        } else if (m instanceof Ack a) {
            if (h.countsForCommit() && a.zxid() > h.matchZxid && a.zxid() <= log.lastZxid()) {
                h.matchZxid = a.zxid();
                advanceCommit();
                transfer.handOverIfReady(epoch);
            }
        } else if (m instanceof Ping p) {
            heartbeatAnswered(h, p);
        }
    }

    void propose(LogEntry e) {
        if (transfer.underWay()) {
            throw new IllegalStateException("handing over to " + transfer.target() + ": no proposal in this term");
        }
        Membership next = node.memberships().decode(e);
        if (next != null && node.reconfigInFlight()) {
            throw new IllegalStateException("a reconfiguration is in flight: one at a time");
        }
        if (next != null && !reach.isQuorumSynced(next)) {
            // ZooKeeper's NewConfigNoQuorum: the ensemble could commit nothing until the new voters showed up
            throw new IllegalStateException("no quorum of the new configuration's voters is synchronised with the leader");
        }
        long last = log.lastZxid();
        if (Zxid.epoch(last) == epoch && Zxid.counter(last) == Zxid.MAX_COUNTER) {
            node.becomeLooking("zxid counter exhausted");
            throw new IllegalStateException("zxid counter exhausted in epoch " + epoch + ": a new election runs");
        }
        if (e.zxid() != node.nextZxid()) {
            throw new IllegalStateException("proposal " + Zxid.toString(e.zxid()) + " is not the next zxid "
                    + Zxid.toString(node.nextZxid()));
        }
        if (uncommitted.size() >= config.maxOutstanding()) {
            throw new IllegalStateException("too many outstanding proposals: " + uncommitted.size());
        }
        node.append(e);
        uncommitted.addLast(e);
        Proposal p = new Proposal(e);
        for (LearnerHandler h : handlers.values()) {
            if (!h.observer && h.state == LearnerHandler.State.FORWARDING) {
                node.send(h.peer, p);
            } else if (h.state == LearnerHandler.State.STREAMING) {
                streams.stream(h, epoch); // the stream reads the new proposal from the log, in its turn
            }
        }
    }

    /** whether the leader and its synchronised followers hold a quorum of {@code m}'s voters */
    boolean isQuorumSynced(Membership m) {
        return reach.isQuorumSynced(m);
    }

    /** the shell's read-index request, on an established leader: see {@link ReadIndexRounds} */
    void readIndex(long requestId) {
        reads.add(requestId, node.committedZxid());
        confirmReads();
    }

    /** leadership ends: no pending read index can be confirmed any more */
    void abandonReads() {
        for (ReadIndexRounds.Pending p : reads.abandon()) {
            node.output(new ZabOutput.ReadIndexFailed(p.requestId()));
        }
    }

    void snapshotTaken(long peer, long zxid, long size) {
        LearnerHandler h = handlers.get(peer);
        if (h != null && h.state == LearnerHandler.State.SNAPSHOT_PENDING) {
            streams.snapshotTaken(h, zxid, size, epoch);
        }
    }

    /**
     * Statically, a follower must be a voter. With reconfiguration any server may learn, in whichever way it asks
     * (its configuration may be older than ours): a server in no configuration yet follows without a vote, an
     * observer or a follower whose role changed learns the configuration while it synchronises and then joins again
     * in its new role. Only the voters of the configurations in force count.
     */
    private boolean acceptsLearner(long from) {
        return node.memberships().dynamic() || node.membership().isVoter(from);
    }

    // ---------------------------------------------------------------- leadership transfer

    /** starts handing over to {@code requested}: see {@link LeadershipTransfer#start} */
    long transfer(long requested) {
        return transfer.start(requested, epoch);
    }

    /** a configuration became active: see {@link LeadershipTransfer#membershipChanged} */
    void membershipChanged() {
        transfer.membershipChanged(epoch);
    }

    // ---------------------------------------------------------------- taking over from a handover

    /**
     * The shortcut of a handover's target, which holds the whole history of the leader of {@code handoverEpoch}
     * durably (that leader proposed nothing more, and all of it is committed). Its new epoch is taken at once and
     * persisted as accepted; each voter in step with the old leader ({@link ZabMessage.HandoverInfo}) gets the entries
     * it lacks and NEWLEADER straight away, and persists the epoch as accepted once it holds them (as current only
     * at UPTODATE: no epoch may be current before a quorum accepted it, see {@code Learner.handoverSync}).
     * Established when a quorum of voters (this one included) has accepted it: one round after the voters' infos.
     *
     * <p>Why discovery may be skipped: such a voter had accepted {@code handoverEpoch} and no later epoch when it
     * asked, so it never accepts any epoch between that one and ours; a leader of such an epoch needs a quorum that
     * accepted it, which cannot meet our quorum. So nothing was committed in between, and everything committed up to
     * the handover is in our history: the history a quorum of discovery would have vouched for. Servers that join
     * the usual way (LEADERINFO, ACKEPOCH) wait until the epoch is established, and are then synchronised as by an
     * established leader, since their history may be more recent than ours and still uncommitted.
     */
    private void takeOver() {
        epoch = node.nextEpochAbove(node.acceptedEpoch());
        node.persistEpochs(epoch, node.currentEpoch());
        historyEnd = log.lastZxid();
        phase = Phase.HANDOVER;
    }

    private void handoverInfo(long from, ZabMessage.HandoverInfo hi) {
        // once established too: a voter in step holds a prefix of our history, and no quorum needs its AckEpoch
        boolean inStep = (phase == Phase.HANDOVER || phase == Phase.BROADCAST) && handoverEpoch >= 0
                && hi.epoch() == handoverEpoch && hi.lastZxid() <= historyEnd && node.memberships().isVoterInForce(from);
        if (!inStep) {
            // not the shortcut (elected, or not in step): an info like any other
            receive(from, new FollowerInfo(hi.session(), hi.epoch(), hi.lastZxid()));
            return;
        }
        LearnerHandler existing = handlers.get(from);
        if (existing != null && existing.session == hi.session()) {
            existing.lastHeard = node.now();
            return; // a repeat
        }
        LearnerHandler h = new LearnerHandler(from, false, hi.session(), hi.epoch(), node.now());
        handlers.put(from, h);
        node.send(from, new ZabMessage.HandoverSync(hi.session(), epoch, hi.lastZxid()));
        h.state = LearnerHandler.State.STREAMING;
        h.restartStream(hi.lastZxid());
        streams.stream(h, epoch);
    }

    // ---------------------------------------------------------------- discovery

    private void learnerInfo(long from, boolean observer, long session, long acceptedEpoch) {
        LearnerHandler existing = handlers.get(from);
        if (existing != null && existing.session == session) {
            existing.lastHeard = node.now();
            return; // a repeat
        }
        LearnerHandler h = new LearnerHandler(from, observer, session, acceptedEpoch, node.now());
        handlers.put(from, h);
        if (phase == Phase.DISCOVERY) {
            chooseEpochIfQuorum();
            return;
        }
        if (!observer && acceptedEpoch > epoch && node.memberships().isVoterInForce(from)) {
            node.becomeLooking("voter " + from + " accepted epoch " + acceptedEpoch + " above ours " + epoch);
            return;
        }
        sendLeaderInfo(h);
    }

    private void chooseEpochIfQuorum() {
        List<Long> voters = new ArrayList<>();
        voters.add(config.myId());
        long maxAccepted = node.acceptedEpoch();
        for (LearnerHandler h : handlers.values()) {
            if (!h.observer) {
                voters.add(h.peer);
            }
            maxAccepted = Math.max(maxAccepted, h.acceptedEpoch);
        }
        if (!node.memberships().isQuorum(voters)) {
            return;
        }
        epoch = node.nextEpochAbove(maxAccepted);
        node.persistEpochs(epoch, node.currentEpoch());
        phase = Phase.EPOCH_ACKS;
        for (LearnerHandler h : handlers.values()) {
            sendLeaderInfo(h);
        }
        checkEpochQuorum();
    }

    private void sendLeaderInfo(LearnerHandler h) {
        h.leaderInfoSent = true;
        node.send(h.peer, new LeaderInfo(h.session, epoch));
    }

    private void ackEpoch(LearnerHandler h, AckEpoch a) {
        if (h.state != LearnerHandler.State.INFO || !h.leaderInfoSent || a.epoch() != epoch) {
            return;
        }
        h.ackEpoch = a;
        h.state = LearnerHandler.State.EPOCH_ACKED;
        if (phase == Phase.EPOCH_ACKS) {
            h.moreRecent = a.currentEpoch() > startEpoch
                    || (a.currentEpoch() == startEpoch && a.lastZxid() > startZxid);
            checkEpochQuorum();
        } else if (phase != Phase.HANDOVER) {
            synchronise(h); // during a handover, once established: its history may be more recent than ours
        }
    }

    /**
     * Synchronises a learner, but not yet an observer that a snapshot would bring up to date before this leader is
     * established: the snapshot would hold only what this server has applied (after a restart, its last snapshot), and
     * the rest of the history would follow entry by entry (ShellSimulationTest seed 1363: some 5,500 entries to an
     * observer that had lost its state). {@link #checkEstablished} synchronises it; an observer never counts for that.
     */
    private void synchronise(LearnerHandler h) {
        if (h.observer && phase != Phase.BROADCAST && streams.needsSnapshot(h)) {
            return;
        }
        streams.synchronise(h, epoch);
    }

    private void checkEpochQuorum() {
        List<Long> acked = new ArrayList<>();
        acked.add(config.myId());
        for (LearnerHandler h : handlers.values()) {
            if (!h.observer && h.state == LearnerHandler.State.EPOCH_ACKED && !h.moreRecent) {
                acked.add(h.peer);
            }
        }
        if (node.memberships().isQuorum(acked)) {
            epochQuorum = true;
            activateEpochIfReady();
        }
    }

    /** the epoch becomes current once a quorum acknowledged it and our own history is durable */
    private void activateEpochIfReady() {
        if (!epochQuorum || log.persistedZxid() < log.lastZxid()) {
            return;
        }
        node.persistEpochs(epoch, epoch);
        node.updateDecidedEpoch(epoch);
        historyEnd = log.lastZxid();
        phase = Phase.SYNCING;
        for (LearnerHandler h : new ArrayList<>(handlers.values())) {
            if (h.state == LearnerHandler.State.EPOCH_ACKED) {
                synchronise(h);
            }
        }
        checkEstablished();
    }

    // ---------------------------------------------------------------- synchronisation

    private void syncAcknowledged(LearnerHandler h, SyncAck a) {
        if (streams.acknowledged(h, a, epoch)) {
            lastSyncProgress = node.now();
        }
    }

    private void ackNewLeader(LearnerHandler h, AckNewLeader a) {
        if (h.state != LearnerHandler.State.FORWARDING || a.epoch() != epoch || a.zxid() != h.syncEnd
                || h.newLeaderAcked) {
            return;
        }
        h.newLeaderAcked = true;
        if (acknowledgedNewLeader.add(h.peer)) {
            // a learner that gave up waiting for UPTODATE and joined again repeats itself: were that progress, learners
            // taking turns would keep a leader no quorum can establish alive for good (ReconfigSimulationTest seed 859)
            lastSyncProgress = node.now();
        }
        h.matchZxid = h.observer ? 0 : a.zxid();
        if (phase != Phase.BROADCAST) {
            checkEstablished();
        } else {
            node.send(h.peer, new UpToDate(epoch, node.committedZxid()));
            advanceCommit();
        }
    }

    private void checkEstablished() {
        List<Long> synced = new ArrayList<>();
        synced.add(config.myId());
        for (LearnerHandler h : handlers.values()) {
            if (h.countsForCommit()) {
                synced.add(h.peer);
            }
        }
        if (!node.memberships().isQuorum(synced)) {
            return;
        }
        boolean tookOver = phase == Phase.HANDOVER;
        phase = Phase.BROADCAST;
        node.commit(historyEnd);
        node.output(new ZabOutput.Serving(Role.LEADING, epoch, config.myId()));
        for (LearnerHandler h : new ArrayList<>(handlers.values())) {
            if (h.newLeaderAcked) {
                node.send(h.peer, new UpToDate(epoch, node.committedZxid()));
            } else if (h.state == LearnerHandler.State.EPOCH_ACKED) {
                synchronise(h); // joined during a handover the usual way, or an observer left until now
            }
        }
        if (tookOver) {
            // a quorum accepted the epoch, holding our history durably: it is current (see takeOver). Written after
            // the UPTODATEs are sent, so the write overlaps their way to the followers: the shell performs outputs
            // in order, so it is durable before anything of this epoch is proposed, and a crash before it leaves
            // what a crash just before establishment leaves (the epoch accepted, the old history, committed)
            node.persistEpochs(epoch, epoch);
            node.updateDecidedEpoch(epoch);
        }
        advanceCommit();
    }

    // ---------------------------------------------------------------- broadcast

    /** Commits what a quorum holds durably ({@link QuorumReach#commitCandidate}, the reconfiguration rule included). */
    private void advanceCommit() {
        if (phase != Phase.BROADCAST) {
            return;
        }
        long candidate = reach.commitCandidate(uncommitted);
        long before = node.committedZxid();
        if (candidate <= before) {
            return;
        }
        node.commit(candidate);
        List<LogEntry> committed = new ArrayList<>();
        while (!uncommitted.isEmpty() && uncommitted.peekFirst().zxid() <= candidate) {
            committed.add(uncommitted.pollFirst());
        }
        Commit commit = new Commit(candidate);
        for (LearnerHandler h : handlers.values()) {
            if (h.state == LearnerHandler.State.STREAMING) {
                streams.tellCommitted(h);
            }
            if (h.state != LearnerHandler.State.FORWARDING) {
                continue;
            }
            if (h.observer) {
                for (LogEntry e : committed) {
                    if (e.zxid() > h.syncEnd) {
                        node.send(h.peer, new Inform(e));
                    }
                }
            }
            node.send(h.peer, commit);
        }
    }

    // ---------------------------------------------------------------- read index

    /**
     * A voter answered heartbeat {@code p.seq()} while following this leader in this epoch. An answer from a learner
     * that is not (or no longer) a synchronised voter of this term proves nothing, nor does one from another epoch.
     */
    private void heartbeatAnswered(LearnerHandler h, Ping p) {
        if (phase == Phase.BROADCAST && p.epoch() == epoch && h.countsForCommit()
                && p.seq() > h.answeredHeartbeat && p.seq() <= reads.lastHeartbeat()) {
            h.answeredHeartbeat = p.seq();
            confirmReads();
        }
    }

    /** confirms the requests whose heartbeat a quorum of voters answered (the leader answers its own at once) */
    private void confirmReads() {
        if (reads.isEmpty()) {
            return;
        }
        long confirmed = reach.heartbeatAnswered();
        if (confirmed > 0) {
            for (ReadIndexRounds.Pending p : reads.confirm(confirmed)) {
                node.output(new ZabOutput.ReadIndex(p.requestId(), p.index()));
            }
        }
        if (reads.needsRound()) {
            // only the voters' answers count; observers hear the next tick's heartbeat
            Ping ping = new Ping(epoch, node.committedZxid(), reads.nextHeartbeat());
            for (LearnerHandler h : handlers.values()) {
                if (h.countsForCommit()) {
                    node.send(h.peer, ping);
                }
            }
        }
    }
}
