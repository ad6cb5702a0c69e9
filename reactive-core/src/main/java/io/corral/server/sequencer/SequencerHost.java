package io.corral.server.sequencer;

import io.corral.log.LogEntry;
import io.corral.protocol.OpCode;
import io.corral.server.config.ServerLines;
import io.corral.server.quorum.QuorumHost;
import io.corral.server.session.Session;
import io.corral.server.session.SessionTracker;
import io.corral.server.snapshot.TreeSnapshot;
import io.corral.server.tree.DataTree;
import io.corral.server.txn.TxnCodec;
import io.corral.server.txn.TxnHeader;

import java.util.List;

/**
 * The sequencer as its quorum sees it: the quorum's upcalls (entries learned, role changes, snapshots for and from
 * peers, writes and session touches passed on by learners), kept off the sequencer's public surface and out of its
 * request loop. The quorum calls them on the sequencer thread, from within the loop's round.
 */
final class SequencerHost implements QuorumHost {
    private final Sequencer sequencer;
    private final DataTree tree;
    private final SessionTracker sessions;
    private final SessionAdmission admission;
    private final Committer committer;
    private final PendingChanges pending;
    private final LearnerForwarding forwarding;
    private final LeaderChangeHold hold;
    private final ZxidCounter zxids;
    private final StateReplacement replacement;
    private final HandOverOnStop handOverOnStop;
    private final RemoteSessions remoteSessions = new RemoteSessions();
    /** whether this server led in its current term (a former leader closes its connections: it cannot hold them) */
    private boolean ledThisTerm;

    SequencerHost(Sequencer sequencer, SessionAdmission admission, Committer committer, PendingChanges pending,
                  LearnerForwarding forwarding, LeaderChangeHold hold, ZxidCounter zxids,
                  StateReplacement replacement, HandOverOnStop handOverOnStop) {
        this.sequencer = sequencer;
        this.tree = sequencer.tree;
        this.sessions = sequencer.sessions;
        this.admission = admission;
        this.committer = committer;
        this.pending = pending;
        this.forwarding = forwarding;
        this.hold = hold;
        this.zxids = zxids;
        this.replacement = replacement;
        this.handOverOnStop = handOverOnStop;
    }

    /** Applies everything the quorum has committed, however many rounds of {@link Sequencer#commit()} that takes. */
    private void applyEverythingCommitted() {
        while (sequencer.commit() > 0) {
            // a long history takes several rounds
        }
    }

    /** A leader's snapshot for a learner too far behind: everything committed applied first. */
    @Override
    public SnapshotImage takeSnapshot() {
        applyEverythingCommitted();
        return SnapshotImageFile.write(sequencer.snapshotDirectory(), tree.lastAppliedZxid(),
                out -> TreeSnapshot.write(tree, sessions, out));
    }

    /** Where the leader's snapshot is kept while it arrives. */
    @Override
    public SnapshotSink receiveSnapshot(long zxid, long size) {
        return new SnapshotSinkFile(sequencer.snapshotDirectory(), zxid, replacement::installLeaderSnapshot);
    }

    /** The leader answered this server's oldest pending sync. */
    @Override
    public void syncAnswered(long zxid) {
        forwarding.syncAnswered(zxid);
    }

    /** A write a learner's client sent, in its forwarded encoding. */
    @Override
    public void forwardedByLearner(long learner, byte[] request) {
        forwardedByLearner(learner, ForwardedRequest.decode(request, sequencer.config().juteMaxBuffer()));
    }

    /** A learner got an entry of the leader's history: it waits in the committer for its commit. */
    @Override
    public void learned(LogEntry entry) {
        if (entry.zxid() <= committer.lastQueuedZxid()) {
            return; // already applied (replayed at start-up) or already queued
        }
        TxnHeader header = LogEntries.headerOf(entry);
        committer.add(new Committer.Proposal(header, TxnCodec.decode(entry.body()), forwarding.match(header)));
    }

    /** The leader sequences a write a learner's client sent, exactly as if it had arrived here. */
    private void forwardedByLearner(long learner, ForwardedRequest forwarded) {
        if (forwarded.type() == OpCode.CREATE_SESSION) {
            ForwardedRequest.NewSession body = (ForwardedRequest.NewSession) forwarded.body();
            admission.proposeSession(forwarded.sessionId(), body.password(),
                    admission.negotiatedTimeout(body.timeout()), System.currentTimeMillis(), null);
            return;
        }
        Request request = remoteSessions.toRequest(learner, forwarded, sessions);
        sequencer.stats.recordRequest();
        sequencer.process(request);
    }

    /** Sessions a learner's clients kept alive. */
    @Override
    public void touchedByLearner(long[] sessionIds) {
        long now = System.currentTimeMillis();
        for (long id : sessionIds) {
            Session session = sessions.get(id);
            if (session != null) {
                sessions.touch(session, now);
            }
        }
    }

    /**
     * The server changed role. A learner holds its client connections until it serves under the next leader
     * ({@link LeaderChangeHold}); a former leader, or any server when holding is off, closes them as ZooKeeper does
     * (clients reconnect, to this server or another, and keep their sessions). Uncommitted work is kept as txns the
     * new leader may still commit.
     */
    @Override
    public void roleChanged(String role) {
        handOverOnStop.ended(true);
        remoteSessions.clear();
        pending.clear();
        boolean led = ledThisTerm;
        ledThisTerm = false;
        if (led || !hold.enabled()) {
            sequencer.closeAll("the server is now " + role);
        } else {
            hold.begin(System.currentTimeMillis());
        }
    }

    /**
     * The leader hands over: it proposes nothing more (requests wait, held, as on a learner during an election), and
     * since everything it proposed is committed before it steps down, it holds its clients through the change like a
     * learner and passes their writes to the new leader.
     */
    @Override
    public void handingOver() {
        ledThisTerm = false;
        hold.begin(System.currentTimeMillis());
    }

    @Override
    public void serving() {
        tree.digestSettlesBy(sequencer.quorum().committedZxid()); // after a leader's (fuzzy) snapshot
        servingAgain();
    }

    /**
     * Serving again after a role change with its connections held: the writes passed to the old leader that the new
     * history did not bring back go to the new leader, ahead of what each connection sent meanwhile; held handshakes
     * proceed.
     */
    private void servingAgain() {
        if (!sequencer.quorum().leads()) {
            sequencer.writeConfigNode(); // as a ZooKeeper learner does each time it has synchronised with a leader
            // closeSession proposals of this server's own leadership may never commit: a learner keeps no
            // closing marks (ZooKeeper's learner starts from a new session tracker)
            sessions.reopenClosing(System.currentTimeMillis());
        }
        if (!hold.active()) {
            return;
        }
        LeaderChangeHold.requeue(forwarding.takeUnanswered(), sequencer::close);
        // a new leader's whole history is committed by now: apply it before a held write is validated against the
        // tree (while the hold lasts, no waiting request is processed)
        applyEverythingCommitted();
        List<Inbound.Connect> handshakes = hold.end();
        for (Inbound.Connect handshake : handshakes) {
            if (!handshake.connection().state().closed) {
                admission.connect(handshake);
            }
        }
        for (Connection connection : List.copyOf(sequencer.connections)) {
            sequencer.drainWaiting(connection);
        }
    }

    @Override
    public void configurationActivated(ServerLines lines) {
        sequencer.clientAddress.activated(lines);
    }

    /** This server now leads: zxids continue in the new epoch, and every session gets a full timeout. */
    @Override
    public void leading(long newEpoch, long lastZxid) {
        handOverOnStop.ended(false); // leads on: a hand-over was abandoned (or there was none)
        zxids.lead(newEpoch, lastZxid);
        sessions.touchAll(System.currentTimeMillis());
        ledThisTerm = true;
    }

    /** The leader's history ends at zxid: the proposals this server queued beyond it were never committed. */
    @Override
    public void truncatedTo(long zxid) {
        if (tree.lastAppliedZxid() > zxid) {
            throw new IllegalStateException("asked to truncate to 0x" + Long.toHexString(zxid)
                    + " below the applied 0x" + Long.toHexString(tree.lastAppliedZxid()));
        }
        for (Inbound origin : committer.dropAfter(zxid)) {
            sequencer.close(origin.connection(), "its write was not committed before the leader changed");
        }
        sequencer.streams().historyReplaced();
    }
}
