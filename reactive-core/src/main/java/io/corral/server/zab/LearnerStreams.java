package io.corral.server.zab;

import io.corral.log.LogEntry;
import io.corral.server.zab.ZabMessage.AckEpoch;
import io.corral.server.zab.ZabMessage.Commit;
import io.corral.server.zab.ZabMessage.Diff;
import io.corral.server.zab.ZabMessage.NewLeader;
import io.corral.server.zab.ZabMessage.Proposal;
import io.corral.server.zab.ZabMessage.Snap;
import io.corral.server.zab.ZabMessage.SyncAck;
import io.corral.server.zab.ZabMessage.Trunc;

import java.util.List;

/**
 * The leader's side of synchronising learners (see {@link Leader}): the choice of DIFF, TRUNC or SNAP, and the
 * stream of the snapshot and the missing entries within each learner's credit, ended by NEWLEADER in {@code epoch}.
 */
final class LearnerStreams {

    private final ZabNode node;
    private final ZabConfig config;
    private final LogView log;

    LearnerStreams(ZabNode node) {
        this.node = node;
        this.config = node.config();
        this.log = node.log();
    }

    /** after its ACKEPOCH: DIFF, TRUNC then DIFF, or SNAP, from the exact common point of both histories */
    void synchronise(LearnerHandler h, long epoch) {
        AckEpoch a = h.ackEpoch;
        long common = log.commonPoint(a.epochEnds());
        if (needsSnapshot(a, common)) {
            takeSnapshotFor(h);
            return;
        }
        node.send(h.peer, a.lastZxid() > common ? new Trunc(common) : new Diff(common));
        h.state = LearnerHandler.State.STREAMING;
        h.restartStream(common);
        stream(h, epoch);
    }

    /** whether the learner of this ACKEPOCH is brought up to date by a snapshot rather than by entries */
    boolean needsSnapshot(LearnerHandler h) {
        return needsSnapshot(h.ackEpoch, log.commonPoint(h.ackEpoch.epochEnds()));
    }

    private boolean needsSnapshot(AckEpoch a, long common) {
        // a snapshot holds what this server has applied, which before it is established may end below the history it
        // shares with the learner: installing it would take txns that may be committed off the learner's disk
        boolean snapshotCovers = node.committedZxid() >= common;
        return common < a.committedZxid() || !log.readableAfter(common)
                || (snapshotCovers && log.countAfter(common) > config.diffLimit());
    }

    private void takeSnapshotFor(LearnerHandler h) {
        h.state = LearnerHandler.State.SNAPSHOT_PENDING;
        h.restartStream(0);
        node.output(new ZabOutput.TakeSnapshot(h.peer));
    }

    /** the learner's progress (SYNCACK): whether it freed credit, and the stream went on */
    boolean acknowledged(LearnerHandler h, SyncAck a, long epoch) {
        if (h.state != LearnerHandler.State.STREAMING || a.zxid() > h.streamedZxid
                || !h.acknowledged(a.zxid(), a.snapBytes())) {
            return false;
        }
        stream(h, epoch);
        return true;
    }

    /**
     * Sends a streaming learner what its credit allows: the rest of the snapshot, then the log's entries after the
     * last one streamed, read a batch at a time; once the stream has reached the end of the log, NEWLEADER.
     */
    void stream(LearnerHandler h, long epoch) {
        if (h.snapshotSize >= 0) {
            long size = h.snapshotSize;
            while (h.snapSent < size && (h.snapSent == h.snapAcked
                    || h.snapSent - h.snapAcked + config.snapChunk() <= config.syncWindowBytes())) {
                int length = (int) Math.min(size - h.snapSent, config.snapChunk());
                node.output(new ZabOutput.SendSnapshotChunk(h.peer, h.snapshotZxid, h.snapSent, length));
                h.snapSent += length;
            }
            if (h.snapSent < size) {
                return;
            }
            h.snapshotSize = -1; // every chunk is out
        }
        while (h.streamedZxid < log.lastZxid()) {
            int room = config.syncWindow() - h.unacked.size();
            long roomBytes = config.syncWindowBytes() - h.unackedBytes;
            if (room <= 0 || (roomBytes <= 0 && !h.unacked.isEmpty())) {
                break;
            }
            if (!log.readableAfter(h.streamedZxid)) {
                // purged under the stream (a local snapshot): continue from a snapshot instead
                takeSnapshotFor(h);
                return;
            }
            List<LogEntry> batch = log.entriesAfter(h.streamedZxid, room, roomBytes);
            if (batch.isEmpty()) {
                throw new IllegalStateException("the log holds nothing after " + Zxid.toString(h.streamedZxid)
                        + " but ends at " + Zxid.toString(log.lastZxid()));
            }
            for (LogEntry e : batch) {
                node.send(h.peer, new Proposal(e));
                h.streamed(e.zxid(), e.body().length);
            }
        }
        if (h.streamedZxid == log.lastZxid()) {
            h.syncEnd = h.streamedZxid;
            h.state = LearnerHandler.State.FORWARDING;
            h.restartStream(h.syncEnd);
            node.send(h.peer, new NewLeader(epoch, h.syncEnd));
        } else {
            tellCommitted(h);
        }
    }

    /** lets a streaming learner apply the part of its stream that is committed (once its snapshot is out) */
    void tellCommitted(LearnerHandler h) {
        if (h.snapshotSize >= 0) {
            return;
        }
        long told = Math.min(node.committedZxid(), h.streamedZxid);
        if (told > h.commitTold) {
            h.commitTold = told;
            node.send(h.peer, new Commit(told));
        }
    }

    /** the shell took the snapshot a learner in state SNAPSHOT_PENDING waits for */
    void snapshotTaken(LearnerHandler h, long zxid, long size, long epoch) {
        long peer = h.peer;
        if (zxid > log.lastZxid() || zxid < 0) {
            throw new IllegalArgumentException("snapshot at " + Zxid.toString(zxid) + " beyond the history "
                    + Zxid.toString(log.lastZxid()));
        }
        if (!log.readableAfter(zxid) || node.membership().version() > zxid) {
            // the log was purged past the snapshot meanwhile, or a configuration committed after it (its Snap
            // carries the active one): take another one
            node.output(new ZabOutput.TakeSnapshot(peer));
            return;
        }
        h.state = LearnerHandler.State.STREAMING;
        h.restartStream(zxid);
        if (size < 0) {
            throw new IllegalArgumentException("snapshot of " + size + " bytes");
        }
        h.snapshotSize = size;
        h.snapshotZxid = zxid;
        if (node.memberships().dynamic()) {
            // the active configuration is the snapshot's: the state at zxid was applied after every commit of it
            node.send(peer, new ZabMessage.SnapMembership(node.membership()));
        }
        node.send(peer, new Snap(zxid, size));
        stream(h, epoch);
    }
}
