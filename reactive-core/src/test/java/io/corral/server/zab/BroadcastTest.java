package io.corral.server.zab;

import io.corral.log.LogEntry;
import io.corral.server.zab.ZabMessage.Ack;
import io.corral.server.zab.ZabMessage.AckEpoch;
import io.corral.server.zab.ZabMessage.AckNewLeader;
import io.corral.server.zab.ZabMessage.Commit;
import io.corral.server.zab.ZabMessage.FollowerInfo;
import io.corral.server.zab.ZabMessage.Inform;
import io.corral.server.zab.ZabMessage.ObserverInfo;
import io.corral.server.zab.ZabMessage.Proposal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.corral.server.zab.NodeDriver.sentTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The leader's side of broadcast: what commits when, and who counts. Server 3 leads over empty logs. */
class BroadcastTest {

    private static final long EPOCH = 2; // the first epoch server 3, ranked third among the voters, may take

    private static LogEntry next(NodeDriver leader, int n) {
        LogEntry e = new LogEntry(leader.node.nextZxid(), 9, n, 0, 1, new byte[] {(byte) n});
        leader.node.propose(e);
        leader.collect();
        return e;
    }

    @Test
    void commitsWaitForAQuorumAndComeStrictlyInZxidOrder() {
        Set<Long> five = Set.of(1L, 2L, 3L, 4L, 5L);
        NodeDriver leader = new NodeDriver(3, five, Set.of(), new SimStorage());
        leader.establish(five, Set.of(), 1, 2);
        assertThat(leader.node.isEstablished()).isTrue();
        leader.outputs.clear();

        LogEntry e1 = next(leader, 1);
        LogEntry e2 = next(leader, 2);
        LogEntry e3 = next(leader, 3);
        assertThat(sentTo(leader.outputs, 1)).containsExactly(new Proposal(e1), new Proposal(e2), new Proposal(e3));
        assertThat(leader.node.outstanding()).isEqualTo(3);

        // a quorum is 3 of 5: the leader, 1 and 2 must all hold a txn before it commits
        assertThat(leader.receive(1, new Ack(e3.zxid()))).isEmpty();
        assertThat(leader.persisted(e1.zxid())).isEmpty();
        assertThat(NodeDriver.ofType(leader.receive(2, new Ack(e2.zxid())), ZabOutput.Commit.class))
                .containsExactly(new ZabOutput.Commit(e1.zxid()));
        assertThat(NodeDriver.ofType(leader.persisted(e3.zxid()), ZabOutput.Commit.class))
                .containsExactly(new ZabOutput.Commit(e2.zxid()));
        // an ack that goes backwards changes nothing
        assertThat(leader.receive(2, new Ack(e1.zxid()))).isEmpty();
        assertThat(NodeDriver.ofType(leader.receive(2, new Ack(e3.zxid())), ZabOutput.Commit.class))
                .containsExactly(new ZabOutput.Commit(e3.zxid()));

        assertThat(NodeDriver.ofType(leader.outputs, ZabOutput.Commit.class)).extracting(ZabOutput.Commit::zxid)
                .containsExactly(e1.zxid(), e2.zxid(), e3.zxid());
        assertThat(sentTo(leader.outputs, 1)).endsWith(new Commit(e1.zxid()), new Commit(e2.zxid()),
                new Commit(e3.zxid()));
        assertThat(leader.node.outstanding()).isZero();
    }

    @Test
    void anObserverNeverCountsTowardsAQuorumAndLearnsOnlyCommittedTxns() {
        Set<Long> three = Set.of(1L, 2L, 3L);
        NodeDriver leader = new NodeDriver(3, three, Set.of(4L), new SimStorage());
        leader.elect(three);
        leader.connect(4);

        // discovery: the observer's info does not make a quorum of voters, so no epoch is chosen on it
        leader.receive(4, new ObserverInfo(4, 0, 0));
        assertThat(leader.node.acceptedEpoch()).isZero();
        leader.receive(1, new FollowerInfo(1, 0, 0));
        long epoch = leader.node.acceptedEpoch();
        assertThat(epoch).isEqualTo(EPOCH);

        // nor does its epoch acknowledgement make the epoch current
        leader.receive(4, new AckEpoch(epoch, 0, 0, 0, new long[0]));
        assertThat(leader.node.epoch()).isZero();
        leader.receive(1, new AckEpoch(epoch, 0, 0, 0, new long[0]));
        assertThat(leader.node.epoch()).isEqualTo(epoch);

        // nor does its NEWLEADER acknowledgement establish the leader
        leader.receive(4, new AckNewLeader(epoch, 0));
        assertThat(leader.node.isEstablished()).isFalse();
        leader.receive(1, new AckNewLeader(epoch, 0));
        assertThat(leader.node.isEstablished()).isTrue();
        leader.outputs.clear();

        // nor does its ack commit anything; and it is sent no proposal
        LogEntry e1 = next(leader, 1);
        leader.persisted(e1.zxid());
        assertThat(leader.receive(4, new Ack(e1.zxid()))).isEmpty();
        assertThat(leader.node.committedZxid()).isZero();
        assertThat(sentTo(leader.outputs, 4)).isEmpty();

        leader.receive(1, new Ack(e1.zxid()));

        assertThat(leader.node.committedZxid()).isEqualTo(e1.zxid());
        assertThat(sentTo(leader.outputs, 4)).containsExactly(new Inform(e1), new Commit(e1.zxid()));
        assertThat(sentTo(leader.outputs, 1)).containsExactly(new Proposal(e1), new Commit(e1.zxid()));
    }

    @Test
    void onlyAnEstablishedLeaderProposesAndOnlyTheNextZxid() {
        Set<Long> three = Set.of(1L, 2L, 3L);
        NodeDriver leader = new NodeDriver(3, three, Set.of(), new SimStorage());
        LogEntry early = new LogEntry(Zxid.make(EPOCH, 1), 9, 1, 0, 1, new byte[0]);
        assertThatThrownBy(() -> leader.node.propose(early)).isInstanceOf(IllegalStateException.class);

        long epoch = leader.establish(three, Set.of(), 1);
        assertThat(epoch).isEqualTo(EPOCH);
        LogEntry skipping = new LogEntry(Zxid.make(epoch, 2), 9, 1, 0, 1, new byte[0]);
        assertThatThrownBy(() -> leader.node.propose(skipping)).isInstanceOf(IllegalStateException.class);

        LogEntry first = next(leader, 1);
        assertThat(first.zxid()).isEqualTo(Zxid.make(epoch, 1));
    }

    @Test
    void aStandaloneServerCommitsOnItsOwnDurability() {
        NodeDriver solo = new NodeDriver(1, Set.of(1L), Set.of(), new SimStorage());
        assertThat(solo.node.isEstablished()).isTrue();
        assertThat(solo.outputs).contains(new ZabOutput.Serving(Role.LEADING, 1, 1));

        LogEntry e = next(solo, 1);
        assertThat(solo.node.committedZxid()).isZero();
        List<ZabOutput> outs = solo.persisted(e.zxid());

        assertThat(outs).containsExactly(new ZabOutput.Commit(e.zxid()));
    }

    @Test
    void aLeaderThatHearsFromNoQuorumStepsDownAfterSyncLimit() {
        Set<Long> three = Set.of(1L, 2L, 3L);
        NodeDriver leader = new NodeDriver(3, three, Set.of(), new SimStorage());
        leader.establish(three, Set.of(), 1);
        for (int i = 0; i < 5; i++) {
            leader.tick();
        }
        assertThat(leader.node.role()).isEqualTo(Role.LEADING);

        leader.tick();

        assertThat(leader.node.role()).isEqualTo(Role.LOOKING);
        assertThat(leader.outputs).contains(new ZabOutput.RoleChange(Role.LOOKING, EPOCH, ZabNode.NO_LEADER));
    }
}
