package io.corral.server.zab;

import io.corral.log.LogEntry;
import io.corral.server.zab.ZabMessage.AckEpoch;
import io.corral.server.zab.ZabMessage.Diff;
import io.corral.server.zab.ZabMessage.FollowerInfo;
import io.corral.server.zab.ZabMessage.LeaderInfo;
import io.corral.server.zab.ZabMessage.NewLeader;
import io.corral.server.zab.ZabMessage.Proposal;
import io.corral.server.zab.ZabMessage.Snap;
import io.corral.server.zab.ZabMessage.Trunc;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.corral.server.zab.NodeDriver.entry;
import static io.corral.server.zab.NodeDriver.sentTo;
import static io.corral.server.zab.NodeDriver.storageWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the leader (server 3) synchronises a learner: DIFF, TRUNC then DIFF, TRUNC alone, or SNAP; and how long it waits
 * for a quorum to get there.
 */
class SynchronisationTest {

    private static final Set<Long> THREE = Set.of(1L, 2L, 3L);

    /** elects server 3 over {@code storage}; returns the epoch it offers to learners */
    private static long leadWith(NodeDriver leader, long... learners) {
        leader.elect(THREE);
        long epoch = -1;
        for (long l : learners) {
            List<ZabMessage> sent = sentTo(leader.receive(l, new FollowerInfo(100 + l, 1, 0)), l);
            for (ZabMessage m : sent) {
                if (m instanceof LeaderInfo li) {
                    epoch = li.epoch();
                }
            }
        }
        for (ZabMessage m : sentTo(leader.outputs, learners[0])) {
            if (m instanceof LeaderInfo li) {
                epoch = li.epoch();
            }
        }
        assertThat(epoch).isPositive();
        return epoch;
    }

    private static AckEpoch ack(long epoch, long currentEpoch, long committed, long... ends) {
        return new AckEpoch(epoch, currentEpoch, ends.length == 0 ? 0 : ends[ends.length - 1], committed, ends);
    }

    @Test
    void aLearnerOnThePathOfTheLeadersHistoryGetsADiff() {
        NodeDriver leader = new NodeDriver(3, THREE, Set.of(), storageWith(1, 1, entry(1, 1), entry(1, 2), entry(1, 3)));
        long epoch = leadWith(leader, 1);

        List<ZabMessage> sent = sentTo(leader.receive(1, ack(epoch, 1, Zxid.make(1, 1), Zxid.make(1, 2))), 1);

        assertThat(sent).containsExactly(new Diff(Zxid.make(1, 2)), new Proposal(entry(1, 3)),
                new NewLeader(epoch, Zxid.make(1, 3)));
    }

    @Test
    void aDivergentTailOfAnOlderEpochIsTruncatedThenTheRestFollows() {
        NodeDriver leader = new NodeDriver(3, THREE, Set.of(),
                storageWith(2, 2, entry(1, 1), entry(1, 2), entry(2, 1)));
        long epoch = leadWith(leader, 1);

        // the learner holds 0x100000003, which epoch 1's leader proposed but never committed
        List<ZabMessage> sent = sentTo(leader.receive(1, ack(epoch, 1, Zxid.make(1, 1), Zxid.make(1, 3))), 1);

        assertThat(sent).containsExactly(new Trunc(Zxid.make(1, 2)), new Proposal(entry(2, 1)),
                new NewLeader(epoch, Zxid.make(2, 1)));
    }

    @Test
    void theCommonPointComesFromEpochEndsNotFromZxidsAlone() {
        // leader: 1.1-1.3 then 2.1-2.2; learner: 1.1-1.3 then an orphan 3.1 of a leader that never committed it.
        // The leader's largest zxid below the learner's last is 2.2, which the learner does not hold: truncating
        // there would keep the orphan out but lose 2.1-2.2. The last shared txn is 1.3.
        NodeDriver leader = new NodeDriver(3, THREE, Set.of(), storageWith(3, 3,
                entry(1, 1), entry(1, 2), entry(1, 3), entry(2, 1), entry(2, 2)));
        long epoch = leadWith(leader, 1, 2);
        leader.receive(2, ack(epoch, 3, Zxid.make(2, 2), Zxid.make(1, 3), Zxid.make(2, 2)));

        List<ZabMessage> sent = sentTo(leader.receive(1, ack(epoch, 3, Zxid.make(1, 3),
                Zxid.make(1, 3), Zxid.make(3, 1))), 1);

        assertThat(sent).containsExactly(new Trunc(Zxid.make(1, 3)), new Proposal(entry(2, 1)),
                new Proposal(entry(2, 2)), new NewLeader(epoch, Zxid.make(2, 2)));
    }

    @Test
    void aLearnerAheadOfTheLeaderIsTruncatedToItButNotCountedInTheEpochQuorum() {
        NodeDriver leader = new NodeDriver(3, THREE, Set.of(), storageWith(1, 1, entry(1, 1), entry(1, 2)));
        long epoch = leadWith(leader, 1, 2);

        // learner 1 is more recent than the leader: it cannot make the quorum that vouches for the leader's history
        List<ZabOutput> afterAhead = leader.receive(1, ack(epoch, 1, Zxid.make(1, 1), Zxid.make(1, 4)));
        assertThat(sentTo(afterAhead, 1)).isEmpty();
        assertThat(NodeDriver.ofType(afterAhead, ZabOutput.PersistEpochs.class)).isEmpty();

        List<ZabOutput> afterQuorum = leader.receive(2, ack(epoch, 1, Zxid.make(1, 1), Zxid.make(1, 2)));

        assertThat(NodeDriver.ofType(afterQuorum, ZabOutput.PersistEpochs.class))
                .containsExactly(new ZabOutput.PersistEpochs(epoch, epoch));
        assertThat(sentTo(afterQuorum, 2)).containsExactly(new Diff(Zxid.make(1, 2)),
                new NewLeader(epoch, Zxid.make(1, 2)));
        assertThat(sentTo(afterQuorum, 1)).containsExactly(new Trunc(Zxid.make(1, 2)),
                new NewLeader(epoch, Zxid.make(1, 2)));
    }

    @Test
    void aLearnerBehindThePurgedLogGetsASnapshotThenTheRest() {
        SimStorage storage = storageWith(1, 1, entry(1, 1), entry(1, 2), entry(1, 3), entry(1, 4), entry(1, 5));
        storage.compact(List.of(entry(1, 1), entry(1, 2), entry(1, 3)));
        NodeDriver leader = new NodeDriver(3, THREE, Set.of(), storage);
        long epoch = leadWith(leader, 1);

        List<ZabOutput> outs = leader.receive(1, ack(epoch, 1, Zxid.make(1, 1), Zxid.make(1, 1)));
        assertThat(outs).contains(new ZabOutput.TakeSnapshot(1));
        assertThat(sentTo(outs, 1)).isEmpty();

        leader.node.snapshotTaken(1, Zxid.make(1, 3), 3);
        List<ZabOutput> after = leader.collect();

        // the chunk's bytes come from the shell, which kept the snapshot; the core says which, in its place
        assertThat(after).containsSubsequence(new ZabOutput.Send(1, new Snap(Zxid.make(1, 3), 3)),
                new ZabOutput.SendSnapshotChunk(1, Zxid.make(1, 3), 0, 3), new ZabOutput.Send(1, new Proposal(entry(1, 4))));
        assertThat(sentTo(after, 1)).containsExactly(new Snap(Zxid.make(1, 3), 3), new Proposal(entry(1, 4)),
                new Proposal(entry(1, 5)), new NewLeader(epoch, Zxid.make(1, 5)));
    }

    /**
     * ShellSimulationTest seed 1363: before it is established a restarted leader has applied only its snapshot, so a
     * snapshot taken for a learner then ends below its history, and the rest follows entry by entry (thousands, to an
     * observer that had lost its state). An observer, which counts for nothing, is synchronised once the leader is
     * established, from a snapshot of the whole history.
     */
    @Test
    void anObserverThatNeedsASnapshotWaitsUntilTheLeaderIsEstablished() {
        SimStorage storage = storageWith(1, 1, entry(1, 1), entry(1, 2), entry(1, 3), entry(1, 4), entry(1, 5));
        storage.compact(List.of(entry(1, 1), entry(1, 2), entry(1, 3)));
        NodeDriver leader = new NodeDriver(3, THREE, Set.of(4L), storage);
        leader.elect(THREE);
        leader.connect(4);
        leader.receive(4, new ZabMessage.ObserverInfo(104, 0, 0));
        leader.receive(1, new FollowerInfo(101, 1, Zxid.make(1, 5)));
        long epoch = leader.node.acceptedEpoch();
        assertThat(leader.receive(4, ack(epoch, 0, 0))).isEmpty(); // the epoch has no quorum yet

        List<ZabOutput> activated = leader.receive(1, ack(epoch, 1, Zxid.make(1, 3), Zxid.make(1, 5)));
        assertThat(sentTo(activated, 1)).containsExactly(new Diff(Zxid.make(1, 5)), new NewLeader(epoch, Zxid.make(1, 5)));
        assertThat(activated).doesNotContain(new ZabOutput.TakeSnapshot(4));
        assertThat(sentTo(activated, 4)).isEmpty();

        List<ZabOutput> established = leader.receive(1, new ZabMessage.AckNewLeader(epoch, Zxid.make(1, 5)));
        assertThat(established).containsSubsequence(new ZabOutput.Commit(Zxid.make(1, 5)), new ZabOutput.TakeSnapshot(4));
        leader.node.snapshotTaken(4, Zxid.make(1, 5), 5);
        assertThat(sentTo(leader.collect(), 4)).containsExactly(new Snap(Zxid.make(1, 5), 5),
                new NewLeader(epoch, Zxid.make(1, 5)));
    }

    @Test
    void aLearnerWhoseHistoryCannotBeLinedUpAboveWhatItCommittedGetsASnapshot() {
        NodeDriver leader = new NodeDriver(3, THREE, Set.of(), storageWith(2, 2, entry(2, 1), entry(2, 2)));
        long epoch = leadWith(leader, 1);

        // no epoch in common, yet the learner says it committed 1.4: only a snapshot can replace its state
        List<ZabOutput> outs = leader.receive(1, ack(epoch, 1, Zxid.make(1, 4), Zxid.make(1, 4)));

        assertThat(outs).contains(new ZabOutput.TakeSnapshot(1));
    }

    @Test
    void theLearnerAppliesTheSyncAndItsEpochOnlyOnceDurable() {
        NodeDriver learner = new NodeDriver(1, THREE, Set.of(), storageWith(1, 1, entry(1, 1), entry(1, 2)));
        learner.connect(2, 3);
        learner.receive(2, new ZabMessage.Vote(1, 3, Zxid.make(1, 2), 1, Role.LOOKING));
        List<ZabOutput> outs = learner.receive(3, new ZabMessage.Vote(1, 3, Zxid.make(1, 2), 1, Role.LOOKING));
        assertThat(learner.node.role()).isEqualTo(Role.FOLLOWING);
        long session = ((FollowerInfo) sentTo(outs, 3).get(0)).session();

        learner.receive(3, new LeaderInfo(session, 4));
        assertThat(learner.storage.acceptedEpoch()).isEqualTo(1); // the driver does not perform outputs
        assertThat(NodeDriver.ofType(learner.outputs, ZabOutput.PersistEpochs.class))
                .containsExactly(new ZabOutput.PersistEpochs(4, 1));

        LogEntry fresh = entry(3, 1);
        learner.receive(3, new Trunc(Zxid.make(1, 1)));
        learner.receive(3, new Proposal(fresh));
        List<ZabOutput> beforeDurable = learner.receive(3, new NewLeader(4, fresh.zxid()));
        assertThat(sentTo(beforeDurable, 3)).isEmpty();
        assertThat(NodeDriver.ofType(beforeDurable, ZabOutput.PersistEpochs.class)).isEmpty();

        List<ZabOutput> durable = learner.persisted(fresh.zxid());

        // the current epoch is written before the acknowledgement goes out, and only now
        assertThat(durable).containsExactly(new ZabOutput.PersistEpochs(4, 4),
                new ZabOutput.Send(3, new ZabMessage.AckNewLeader(4, fresh.zxid())));
        assertThat(NodeDriver.ofType(learner.outputs, ZabOutput.Truncate.class))
                .containsExactly(new ZabOutput.Truncate(Zxid.make(1, 1)));

        List<ZabOutput> upToDate = learner.receive(3, new ZabMessage.UpToDate(4, fresh.zxid()));
        assertThat(upToDate).containsExactly(new ZabOutput.Commit(fresh.zxid()),
                new ZabOutput.Serving(Role.FOLLOWING, 4, 3));
        assertThat(learner.node.isSynced()).isTrue();
    }

    /**
     * ShellSimulationTest seed 12773: a learner whose log runs past the leader's snapshot (a divergent tail the
     * snapshot replaces) acknowledged each chunk with its log's last zxid; the leader, which believes no ack beyond
     * what it streamed, ignored them all and sent no more chunks, and the learner never served again. A chunk's
     * acknowledgement stands at the snapshot.
     */
    @Test
    void aLearnerWithATailPastTheSnapshotAcknowledgesItsChunksAtTheSnapshot() {
        NodeDriver learner = new NodeDriver(1, THREE, Set.of(), storageWith(1, 1, entry(1, 1), entry(1, 2),
                entry(1, 3), entry(1, 4), entry(1, 5)));
        learner.connect(2, 3);
        learner.receive(2, new ZabMessage.Vote(1, 3, Zxid.make(1, 5), 1, Role.LOOKING));
        long session = ((FollowerInfo) sentTo(learner.receive(3, new ZabMessage.Vote(1, 3, Zxid.make(1, 5), 1,
                Role.LOOKING)), 3).get(0)).session();
        learner.receive(3, new LeaderInfo(session, 4));

        learner.receive(3, new Snap(Zxid.make(1, 3), 4));
        List<ZabOutput> chunk = learner.receive(3, new ZabMessage.SnapChunk(new byte[] {1, 2}));

        assertThat(sentTo(chunk, 3)).containsExactly(new ZabMessage.SyncAck(Zxid.make(1, 3), 2));
    }

    @Test
    void aTruncationBelowWhatTheLearnerCommittedEndsTheSession() {
        NodeDriver learner = new NodeDriver(1, THREE, Set.of(), storageWith(1, 1, entry(1, 1), entry(1, 2)));
        learner.connect(2, 3);
        learner.receive(2, new ZabMessage.Vote(1, 3, Zxid.make(1, 2), 1, Role.LOOKING));
        long session = ((FollowerInfo) sentTo(learner.receive(3, new ZabMessage.Vote(1, 3, Zxid.make(1, 2), 1, Role.LOOKING)), 3)
                .get(0)).session();
        learner.receive(3, new LeaderInfo(session, 4));
        learner.receive(3, new Diff(Zxid.make(1, 2)));
        learner.receive(3, new NewLeader(4, Zxid.make(1, 2)));
        learner.receive(3, new ZabMessage.UpToDate(4, Zxid.make(1, 2)));
        assertThat(learner.node.committedZxid()).isEqualTo(Zxid.make(1, 2));

        learner.receive(3, new Trunc(Zxid.make(1, 1)));

        assertThat(learner.node.role()).isEqualTo(Role.LOOKING);
        assertThat(NodeDriver.ofType(learner.outputs, ZabOutput.Truncate.class)).isEmpty();
    }

    @Test
    void theStreamNeverRunsAheadOfTheLearnersAcknowledgementsByMoreThanTheWindow() {
        LogEntry[] history = new LogEntry[2_500];
        for (int i = 0; i < history.length; i++) {
            history[i] = entry(1, i + 1);
        }
        NodeDriver leader = new NodeDriver(3, THREE, Set.of(), storageWith(1, 1, history));
        long epoch = leadWith(leader, 1);
        int window = ZabConfig.SYNC_WINDOW;

        List<ZabMessage> first = sentTo(leader.receive(1, ack(epoch, 0, 0)), 1);
        assertThat(first.get(0)).isEqualTo(new Diff(0));
        assertThat(first.stream().filter(m -> m instanceof Proposal).count()).isEqualTo(window);

        // credit for the first 400 brings 400 more, no NEWLEADER yet
        List<ZabMessage> more = sentTo(leader.receive(1, new ZabMessage.SyncAck(Zxid.make(1, 400), 0)), 1);
        assertThat(more).hasSize(400).allMatch(m -> m instanceof Proposal);
        assertThat(((Proposal) more.get(0)).entry()).isEqualTo(entry(1, window + 1));

        // a repeated or stale acknowledgement frees nothing
        assertThat(sentTo(leader.receive(1, new ZabMessage.SyncAck(Zxid.make(1, 400), 0)), 1)).isEmpty();

        // an acknowledgement beyond what was streamed is not believed
        assertThat(sentTo(leader.receive(1, new ZabMessage.SyncAck(Zxid.make(1, 2_000), 0)), 1)).isEmpty();

        // the rest, then NEWLEADER at the end of the log
        assertThat(sentTo(leader.receive(1, new ZabMessage.SyncAck(Zxid.make(1, 1_400), 0)), 1)).hasSize(window);
        List<ZabMessage> rest = sentTo(leader.receive(1, new ZabMessage.SyncAck(Zxid.make(1, 2_400), 0)), 1);
        assertThat(rest).hasSize(101);
        assertThat(rest.get(100)).isEqualTo(new NewLeader(epoch, Zxid.make(1, 2_500)));
    }

    @Test
    void aLearnerThatKeepsJoiningAgainDoesNotKeepALeaderNoQuorumEstablishesAlive() {
        Set<Long> five = Set.of(1L, 2L, 3L, 4L, 5L);
        NodeDriver leader = new NodeDriver(3, five, Set.of(), new SimStorage());
        leader.elect(five);
        leader.receive(1, new FollowerInfo(101, 0, 0));
        leader.receive(2, new FollowerInfo(102, 0, 0));
        long epoch = leader.node.acceptedEpoch();
        leader.receive(1, ack(epoch, 0, 0));
        leader.receive(2, ack(epoch, 0, 0));
        // 2 leaves before NEWLEADER: 1 alone synchronises, and never makes a quorum of five with the leader
        leader.node.disconnected(2);
        leader.receive(1, new ZabMessage.AckNewLeader(epoch, 0));

        // 1 gives up waiting for UPTODATE and joins again, in turn: the same acknowledgements, no progress
        for (int tick = 1; tick <= 10; tick++) {
            leader.tick();
            if (tick % 3 == 0) {
                leader.receive(1, new FollowerInfo(101 + tick, epoch, 0));
                leader.receive(1, ack(epoch, 0, 0));
                leader.receive(1, new ZabMessage.AckNewLeader(epoch, 0));
            }
        }
        assertThat(leader.node.role()).isEqualTo(Role.LEADING);

        leader.tick();

        assertThat(leader.node.role()).isEqualTo(Role.LOOKING);
    }
}
