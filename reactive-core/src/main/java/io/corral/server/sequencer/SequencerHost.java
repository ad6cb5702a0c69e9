package io.corral.server.sequencer;

import io.corral.log.LogEntry;
import io.corral.server.quorum.QuorumHost;

/** The sequencer as its quorum sees it: the upcalls, kept off the sequencer's public surface. */
final class SequencerHost implements QuorumHost {
    private final Sequencer sequencer;

    SequencerHost(Sequencer sequencer) {
        this.sequencer = sequencer;
    }

    @Override
    public void learned(LogEntry entry) {
        sequencer.learned(entry);
    }

    @Override
    public void truncatedTo(long zxid) {
        sequencer.truncatedTo(zxid);
    }

    @Override
    public SnapshotSink receiveSnapshot(long zxid, long size) {
        return sequencer.receiveSnapshot(zxid);
    }

    @Override
    public SnapshotImage takeSnapshot() {
        return sequencer.snapshotForLearner();
    }

    @Override
    public void roleChanged(String mode) {
        sequencer.roleChanged(mode);
    }

    @Override
    public void serving() {
        sequencer.tree.digestSettlesBy(sequencer.quorum().committedZxid()); // after a leader's (fuzzy) snapshot
        sequencer.servingAgain();
    }

    @Override
    public void configurationActivated(io.corral.server.config.ServerLines lines) {
        sequencer.clientAddress.activated(lines);
    }

    @Override
    public void handingOver() {
        sequencer.handingOver();
    }

    @Override
    public void leading(long epoch, long lastZxid) {
        sequencer.leading(epoch, lastZxid);
    }

    @Override
    public void forwardedByLearner(long learner, byte[] request) {
        sequencer.forwardedByLearner(learner, request);
    }

    @Override
    public void touchedByLearner(long[] sessionIds) {
        sequencer.touchedByLearner(sessionIds);
    }

    @Override
    public void syncAnswered(long zxid) {
        sequencer.syncAnswered(zxid);
    }
}
