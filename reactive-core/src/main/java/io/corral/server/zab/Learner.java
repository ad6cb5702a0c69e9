package io.corral.server.zab;

import io.corral.log.LogEntry;
import io.corral.server.zab.ZabMessage.Ack;
import io.corral.server.zab.ZabMessage.AckEpoch;
import io.corral.server.zab.ZabMessage.AckNewLeader;
import io.corral.server.zab.ZabMessage.Commit;
import io.corral.server.zab.ZabMessage.Diff;
import io.corral.server.zab.ZabMessage.FollowerInfo;
import io.corral.server.zab.ZabMessage.Inform;
import io.corral.server.zab.ZabMessage.LeaderInfo;
import io.corral.server.zab.ZabMessage.NewLeader;
import io.corral.server.zab.ZabMessage.ObserverInfo;
import io.corral.server.zab.ZabMessage.Ping;
import io.corral.server.zab.ZabMessage.Proposal;
import io.corral.server.zab.ZabMessage.Snap;
import io.corral.server.zab.ZabMessage.SnapChunk;
import io.corral.server.zab.ZabMessage.SyncAck;
import io.corral.server.zab.ZabMessage.Trunc;
import io.corral.server.zab.ZabMessage.UpToDate;

/**
 * A follower's or observer's session with one leader, from its info message to serving (or giving up).
 *
 * <p>A follower accepts an epoch above its accepted one, or equal to it (epochs are unique to their leader, see
 * {@link ZabConfig#nextEpochAbove}, so that is a reconnection to the same term), and persists it before
 * acknowledging. On NEWLEADER it waits until the synchronised history is durable, and only then persists the new
 * current epoch and acknowledges: a current epoch must never vouch for a history the server does not hold. An observer
 * takes whatever epoch its leader has, since it counts in no quorum.
 *
 * <p>While synchronising, the learner acknowledges what it holds durably (SYNCACK), which is the leader's credit to
 * stream more, and applies what the leader tells it is committed, so its memory stays bounded however far behind it
 * started. A snapshot arrives in chunks and is installed whole.
 *
 * <p>After a handover, a voter in step with the leader that handed over joins the target without discovery: see
 * {@link #handoverSync}.
 *
 * <p>Any unexpected message (a history that does not line up, a truncation below what was committed) ends the session:
 * the node looks for a leader again. So does silence: initLimit ticks without progress of the synchronisation (a
 * part of the stream received) before UPTODATE, or nothing from the leader for syncLimit ticks once synchronised. So
 * does a disk that falls behind: more than maxOutstanding entries not yet durable.
 */
final class Learner {

    private enum Phase {
        /** waiting for a connection to the leader */
        CONNECTING,
        /** info sent, waiting for LEADERINFO */
        DISCOVERY,
        /** epoch acknowledged, waiting for DIFF, TRUNC or SNAP */
        AWAIT_SYNC,
        /** receiving the chunks of a snapshot */
        SNAP_RECEIVING,
        /** receiving the missing history */
        SYNCING,
        /** NEWLEADER received, waiting for the history to be durable */
        AWAIT_DURABLE,
        /** NEWLEADER acknowledged, waiting for UPTODATE */
        AWAIT_UPTODATE,
        /** synchronised: serving clients */
        BROADCAST
    }

    private final ZabNode node;
    private final ZabConfig config;
    private final LogView log;
    private final long leader;
    private final boolean observer;
    private final long session;
    /** the epoch of the leader that handed over, for a voter in step with it (-1 otherwise): see {@link #handoverSync} */
    private final long handoverEpoch;
    /** the tick this session started, or of the last progress of its synchronisation */
    private long progressTick;
    private long lastHeard;
    /** see {@link #leaderSpoke()} */
    private boolean leaderSpoke;
    private Phase phase = Phase.CONNECTING;
    private long epoch = -1;
    /** synchronised by a handover's target (HANDOVERSYNC), not through LEADERINFO: see {@link #handoverSync} */
    private boolean handoverSynced;
    private long newLeaderZxid;
    private long ackedZxid;
    /** the snapshot being received (the shell keeps its bytes): its zxid, its size, how many bytes arrived */
    private long snapZxid;
    private long snapSize;
    private long snapReceived;
    /** the configuration of the snapshot being received, when the leader's membership is dynamic */
    private Membership snapMembership;

    Learner(ZabNode node, long leader, boolean observer, long handoverEpoch) {
        this.node = node;
        this.config = node.config();
        this.log = node.log();
        this.leader = leader;
        this.observer = observer;
        this.session = node.newSession();
        this.handoverEpoch = handoverEpoch;
        this.progressTick = node.now();
        this.lastHeard = node.now();
    }

    void start() {
        if (node.isConnected(leader)) {
            sendInfo();
        }
    }

    boolean synced() {
        return phase == Phase.BROADCAST;
    }

    /** the epoch of this session's leader, once it told it (-1 before) */
    long epoch() {
        return epoch;
    }

    void connected() {
        if (phase == Phase.CONNECTING) {
            sendInfo();
        }
    }

    /**
     * Whether the leader has spoken as leader since this learner chose it (any of its protocol messages, or its
     * announcement): a LOOKING vote from it after that is news of its term's end, not one from before it led.
     */
    boolean leaderSpoke() {
        return leaderSpoke;
    }

    /** whether this learner waits for the target of a handover to take it on */
    boolean awaitsTakeOver() {
        return handoverEpoch >= 0 && (phase == Phase.CONNECTING || phase == Phase.DISCOVERY);
    }

    private void sendInfo() {
        phase = Phase.DISCOVERY;
        if (handoverEpoch >= 0) {
            node.send(leader, new ZabMessage.HandoverInfo(session, handoverEpoch, log.lastZxid()));
        } else if (observer) {
            node.send(leader, new ObserverInfo(session, node.acceptedEpoch(), log.lastZxid()));
        } else {
            node.send(leader, new FollowerInfo(session, node.acceptedEpoch(), log.lastZxid()));
        }
    }

    /** the leader says it now leads: if it may have dropped our info (sent before it decided), say it again */
    void leaderAnnounced() {
        leaderSpoke = true;
        if (phase == Phase.DISCOVERY) {
            sendInfo();
        }
    }

    void tick() {
        if (phase == Phase.DISCOVERY) {
            // the leader ignores infos until it has decided to lead: say it again
            sendInfo();
        }
        if (phase != Phase.BROADCAST) {
            if (node.now() - progressTick > config.initLimit()) {
                node.becomeLooking("synchronisation with " + leader + " made no progress within initLimit");
            }
        } else if (node.now() - lastHeard > config.syncLimit()) {
            node.becomeLooking("leader " + leader + " silent for syncLimit");
        }
    }

    void persisted() {
        if (phase == Phase.SYNCING) {
            node.send(leader, new SyncAck(log.persistedZxid(), 0));
        } else if (phase == Phase.AWAIT_DURABLE) {
            acknowledgeNewLeaderIfDurable();
        } else if (phase == Phase.AWAIT_UPTODATE || phase == Phase.BROADCAST) {
            acknowledge();
        }
    }

    void receive(ZabMessage m) {
        lastHeard = node.now();
        leaderSpoke = true;
        if (phase == Phase.CONNECTING || phase == Phase.DISCOVERY) {
            // until our session's LEADERINFO, the leader may still be talking to an earlier session of ours
            if (m instanceof LeaderInfo li) {
                leaderInfo(li);
            } else if (m instanceof ZabMessage.HandoverSync hs) {
                handoverSync(hs);
            }
            return;
        }
        if (m instanceof Ping p) {
            node.send(leader, new Ping(epoch, log.persistedZxid(), p.seq()));
        } else if (m instanceof ZabMessage.Handover h) {
            if (check(h.epoch() == epoch, m)) {
                LeadershipTransfer.handedOver(node, h, "leader " + leader + " handed over to " + h.target());
            }
        } else if (m instanceof LeaderInfo li) {
            if (li.session() == session) {
                violation(li);
            }
        } else if (m instanceof Diff d) {
            if (expect(Phase.AWAIT_SYNC, m) && check(d.zxid() == log.lastZxid(), m)) {
                syncing();
            }
        } else if (m instanceof Trunc t) {
            if (expect(Phase.AWAIT_SYNC, m)
                    && check(t.zxid() >= node.committedZxid() && t.zxid() <= log.lastZxid(), m)) {
                node.truncate(t.zxid());
                syncing();
            }
        } else if (m instanceof ZabMessage.SnapMembership sm) {
            if (phase == Phase.AWAIT_SYNC || phase == Phase.SYNCING) {
                snapMembership = sm.membership();
            } else {
                violation(m);
            }
        } else if (m instanceof Snap s) {
            // first, or in the middle of a stream the leader can no longer read from its log
            // never below what this server committed: the snapshot replaces its log
            if ((phase == Phase.AWAIT_SYNC || phase == Phase.SYNCING) && check(s.zxid() >= node.committedZxid()
                    && s.size() >= 0, m)) {
                phase = Phase.SNAP_RECEIVING;
                progressTick = node.now();
                snapZxid = s.zxid();
                snapSize = s.size();
                snapReceived = 0;
                node.output(new ZabOutput.ReceiveSnapshot(snapZxid, snapSize));
                if (s.size() == 0) {
                    installSnapshot();
                }
            } else if (phase != Phase.AWAIT_SYNC && phase != Phase.SYNCING) {
                violation(m);
            }
        } else if (m instanceof SnapChunk c) {
            if (expect(Phase.SNAP_RECEIVING, m) && check(c.data().length <= snapSize - snapReceived, m)) {
                node.output(new ZabOutput.SnapshotChunk(c.data()));
                snapReceived += c.data().length;
                progressTick = node.now();
                // the stream stands at the snapshot until it is installed: the log's own tail may lie beyond it (a
                // divergent tail the snapshot replaces), and the leader ignores an ack past what it streamed
                node.send(leader, new SyncAck(snapZxid, snapReceived));
                if (snapReceived == snapSize) {
                    installSnapshot();
                }
            }
        } else if (m instanceof Proposal p) {
            proposal(p.entry(), m);
        } else if (m instanceof NewLeader n) {
            if (expect(Phase.SYNCING, m) && check(n.epoch() == epoch && n.zxid() == log.lastZxid(), m)) {
                newLeaderZxid = n.zxid();
                progressTick = node.now();
                phase = Phase.AWAIT_DURABLE;
                acknowledgeNewLeaderIfDurable();
            }
        } else if (m instanceof UpToDate u) {
            if (expect(Phase.AWAIT_UPTODATE, m) && check(u.epoch() == epoch, m)) {
                makeCurrent(epoch); // after a handover's sync, see handoverSync
                phase = Phase.BROADCAST;
                commit(u.committedZxid());
                node.output(new ZabOutput.Serving(observer ? Role.OBSERVING : Role.FOLLOWING, epoch, leader));
            }
        } else if (m instanceof Commit c) {
            if (phase == Phase.SYNCING || afterNewLeader()) {
                commit(c.zxid());
            } else {
                violation(m);
            }
        } else if (m instanceof Inform i) {
            if (!observer || !afterNewLeader()) {
                violation(m);
            } else if (i.entry().zxid() > log.lastZxid()) {
                if (check(Zxid.epoch(i.entry().zxid()) <= epoch, m)) {
                    node.append(i.entry());
                }
            }
        }
    }

    private void leaderInfo(LeaderInfo li) {
        if (li.session() != session) {
            return; // an answer to an earlier session's info
        }
        long accepted = node.acceptedEpoch();
        if (!votes()) {
            node.persistEpochs(Math.max(accepted, li.epoch()), node.currentEpoch());
        } else if (li.epoch() > accepted) {
            node.persistEpochs(li.epoch(), node.currentEpoch());
        } else if (li.epoch() < accepted) {
            node.becomeLooking("leader " + leader + " offers epoch " + li.epoch() + " below accepted " + accepted);
            return;
        }
        epoch = li.epoch();
        phase = Phase.AWAIT_SYNC;
        node.send(leader, new AckEpoch(epoch, node.currentEpoch(), log.lastZxid(), node.committedZxid(),
                log.epochEnds()));
    }

    /**
     * The target of a handover takes this voter on: nothing since the old leader's epoch was accepted here, so this
     * log is a prefix of the target's history, and the entries it lacks follow, then NEWLEADER. The new epoch is
     * accepted only then (until this voter holds the target's history it has accepted nothing, so the target cannot
     * count it), and made current only at UPTODATE, once the target knows a quorum accepted it. Not at NEWLEADER with
     * the accepted one: votes compare current epochs first, and no epoch may be current anywhere before a quorum
     * accepted it. Voters that never heard of the handover can still establish a lower epoch and commit in it; a
     * voter that had made the target's epoch current would then outvote every server holding those commits (seed
     * 6810 of ZabSimulationTest: the old leader, the only voter the target reached, did so).
     */
    private void handoverSync(ZabMessage.HandoverSync hs) {
        if (hs.session() != session) {
            return;
        }
        if (check(handoverEpoch >= 0 && node.acceptedEpoch() == handoverEpoch && node.currentEpoch() == handoverEpoch
                && hs.epoch() > handoverEpoch && hs.zxid() == log.lastZxid(), hs)) {
            epoch = hs.epoch();
            handoverSynced = true;
            syncing();
        }
    }

    private void proposal(LogEntry e, ZabMessage m) {
        boolean during = phase == Phase.SYNCING || (!observer && afterNewLeader());
        if (!during) {
            violation(m);
            return;
        }
        if (!check(e.zxid() > log.lastZxid() && Zxid.epoch(e.zxid()) <= epoch, m)) {
            return;
        }
        if (phase == Phase.SYNCING) {
            progressTick = node.now();
        } else if (log.unstableCount() >= config.maxOutstanding()) {
            node.becomeLooking(log.unstableCount() + " entries are not durable yet: the disk is too slow to follow "
                    + leader);
            return;
        }
        // An entry of an epoch exists only once a quorum accepted that epoch, so it may be current here, and must be
        // before the entry is durable: votes compare current epochs first, and a voter synchronised by a handover can
        // receive the new epoch's proposals before its UPTODATE (seed 19288 of ZabSimulationTest)
        makeCurrent(Zxid.epoch(e.zxid()));
        node.append(e);
    }

    /**
     * Whether this learner's epochs are a voter's: an observer, or (with reconfiguration) a follower that is a voter
     * in none of its configurations, takes whatever epoch its leader has, since it counts in no quorum.
     */
    private boolean votes() {
        return !observer && node.memberships().isVoterInForce(config.myId());
    }

    private void syncing() {
        phase = Phase.SYNCING;
        progressTick = node.now();
    }

    /** the last chunk arrived: the snapshot replaces the state, and the entries after it follow */
    private void installSnapshot() {
        log.installSnapshot(snapZxid);
        node.output(new ZabOutput.InstallSnapshot(snapZxid));
        node.resetCommitted(snapZxid, snapMembership);
        snapMembership = null;
        syncing();
    }

    /** makes {@code e} current (and accepted, if it was not) unless it is already; durable before any later output */
    private void makeCurrent(long e) {
        if (node.currentEpoch() < e) {
            node.persistEpochs(Math.max(node.acceptedEpoch(), e), e);
        }
    }

    private boolean afterNewLeader() {
        return phase == Phase.AWAIT_DURABLE || phase == Phase.AWAIT_UPTODATE || phase == Phase.BROADCAST;
    }

    private void acknowledgeNewLeaderIfDurable() {
        if (log.persistedZxid() < newLeaderZxid) {
            return;
        }
        if (votes() && handoverSynced) {
            node.persistEpochs(Math.max(node.acceptedEpoch(), epoch), node.currentEpoch()); // current at UPTODATE
        } else {
            // a voter's epoch is accepted already after LEADERINFO, and the leader sends NEWLEADER once a quorum has it
            makeCurrent(epoch);
        }
        node.updateDecidedEpoch(epoch);
        phase = Phase.AWAIT_UPTODATE;
        progressTick = node.now();
        ackedZxid = newLeaderZxid;
        node.send(leader, new AckNewLeader(epoch, newLeaderZxid));
        acknowledge();
    }

    /** followers acknowledge their durable point as it moves (cumulative) */
    private void acknowledge() {
        if (!observer && log.persistedZxid() > ackedZxid) {
            ackedZxid = log.persistedZxid();
            node.send(leader, new Ack(ackedZxid));
        }
    }

    /** the log is a prefix of the leader's history by now, so anything the leader committed that we hold is ours */
    private void commit(long zxid) {
        node.commit(Math.min(zxid, log.lastZxid()));
    }

    private boolean expect(Phase expected, ZabMessage m) {
        if (phase == expected) {
            return true;
        }
        violation(m);
        return false;
    }

    private boolean check(boolean condition, ZabMessage m) {
        if (!condition) {
            violation(m);
        }
        return condition;
    }

    private void violation(ZabMessage m) {
        node.becomeLooking("unexpected " + m + " from leader " + leader + " in " + phase);
    }
}
