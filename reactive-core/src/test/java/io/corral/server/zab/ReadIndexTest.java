package io.corral.server.zab;

import io.corral.log.LogEntry;
import io.corral.server.zab.ZabMessage.Ack;
import io.corral.server.zab.ZabMessage.FollowerInfo;
import io.corral.server.zab.ZabMessage.Ping;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.corral.server.zab.NodeDriver.ofType;
import static io.corral.server.zab.NodeDriver.sentTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The leader's read index: which heartbeat answers confirm a request, how requests share rounds, how they fail. */
class ReadIndexTest {

    private static final Set<Long> THREE = Set.of(1L, 2L, 3L);
    private static final Set<Long> FIVE = Set.of(1L, 2L, 3L, 4L, 5L);

    /** server 3 leads five voters, with 1 and 2 synchronised: a quorum is the leader and both of them */
    private static NodeDriver leaderOfFive() {
        NodeDriver leader = new NodeDriver(3, FIVE, Set.of(), new SimStorage());
        leader.establish(FIVE, Set.of(), 1, 2);
        leader.outputs.clear();
        return leader;
    }

    /** proposes one txn and has 1 and 2 acknowledge it: committed */
    private static LogEntry commitOne(NodeDriver leader, int n) {
        LogEntry e = new LogEntry(leader.node.nextZxid(), 9, n, 0, 1, new byte[] {(byte) n});
        leader.node.propose(e);
        leader.collect();
        leader.persisted(e.zxid());
        leader.receive(1, new Ack(e.zxid()));
        leader.receive(2, new Ack(e.zxid()));
        assertThat(leader.node.committedZxid()).isEqualTo(e.zxid());
        return e;
    }

    /** the heartbeat numbers sent to {@code peer} among {@code outs} */
    private static List<Long> heartbeatsTo(List<ZabOutput> outs, long peer) {
        return sentTo(outs, peer).stream().filter(m -> m instanceof Ping).map(m -> ((Ping) m).seq()).toList();
    }

    private static Ping answer(NodeDriver leader, long seq) {
        return new Ping(leader.node.epoch(), 0, seq);
    }

    @Test
    void aRequestIsConfirmedByAQuorumAnsweringAHeartbeatSentAfterIt() {
        NodeDriver leader = leaderOfFive();
        LogEntry e1 = commitOne(leader, 1);
        long before = heartbeatsTo(leader.tick(), 1).get(0);

        List<ZabOutput> outs = readIndex(leader, 7);

        long round = heartbeatsTo(outs, 1).get(0);
        assertThat(round).isGreaterThan(before);
        assertThat(heartbeatsTo(outs, 2)).containsExactly(round);
        assertThat(ofType(outs, ZabOutput.ReadIndex.class)).isEmpty();
        assertThat(leader.node.pendingReadIndexes()).isOne();

        // the index is the committed zxid at the request, whatever commits meanwhile
        commitOne(leader, 2);
        // answers to a heartbeat sent before the request prove nothing about the time after it
        assertThat(leader.receive(1, answer(leader, before))).isEmpty();
        assertThat(leader.receive(2, answer(leader, before))).isEmpty();
        // the leader and 1 are two of five
        assertThat(leader.receive(1, answer(leader, round))).isEmpty();

        assertThat(leader.receive(2, answer(leader, round))).containsExactly(new ZabOutput.ReadIndex(7, e1.zxid()));
        assertThat(leader.node.pendingReadIndexes()).isZero();
    }

    private static List<ZabOutput> readIndex(NodeDriver leader, long requestId) {
        leader.node.readIndex(requestId);
        return leader.collect();
    }

    @Test
    void requestsMadeDuringARoundShareTheNextOne() {
        NodeDriver leader = leaderOfFive();
        long r1 = heartbeatsTo(readIndex(leader, 1), 1).get(0);
        assertThat(readIndex(leader, 2)).isEmpty();
        assertThat(readIndex(leader, 3)).isEmpty();

        leader.receive(1, answer(leader, r1));
        List<ZabOutput> outs = leader.receive(2, answer(leader, r1));

        // request 1 is confirmed; 2 and 3 came after round r1 was sent, so one new round starts for both
        assertThat(ofType(outs, ZabOutput.ReadIndex.class)).containsExactly(new ZabOutput.ReadIndex(1, 0));
        long r2 = heartbeatsTo(outs, 1).get(0);
        assertThat(heartbeatsTo(outs, 2)).containsExactly(r2);
        assertThat(r2).isGreaterThan(r1);

        leader.receive(1, answer(leader, r2));
        outs = leader.receive(2, answer(leader, r2));
        assertThat(outs).containsExactly(new ZabOutput.ReadIndex(2, 0), new ZabOutput.ReadIndex(3, 0));
    }

    @Test
    void aTickHeartbeatServesRequestsWaitingForARound() {
        NodeDriver leader = leaderOfFive();
        long r1 = heartbeatsTo(readIndex(leader, 1), 1).get(0);
        readIndex(leader, 2);

        long tick = heartbeatsTo(leader.tick(), 1).get(0);
        assertThat(tick).isGreaterThan(r1);
        leader.receive(1, answer(leader, tick));
        List<ZabOutput> outs = leader.receive(2, answer(leader, tick));

        // an answer to a later heartbeat confirms the requests waiting for earlier ones; no new round is needed
        assertThat(outs).containsExactly(new ZabOutput.ReadIndex(1, 0), new ZabOutput.ReadIndex(2, 0));
    }

    @Test
    void withoutRequestsOnlyTheTickHeartbeatsAreSent() {
        NodeDriver leader = leaderOfFive();
        for (int i = 0; i < 3; i++) {
            List<ZabOutput> outs = leader.tick();
            assertThat(heartbeatsTo(outs, 1)).hasSize(1);
            assertThat(outs).hasSize(2); // one heartbeat to each learner
            long seq = heartbeatsTo(outs, 1).get(0);
            assertThat(leader.receive(1, answer(leader, seq))).isEmpty();
            assertThat(leader.receive(2, answer(leader, seq))).isEmpty();
        }
    }

    @Test
    void onlySynchronisedVotersOfThisEpochAnsweringASentHeartbeatCount() {
        NodeDriver leader = new NodeDriver(3, FIVE, Set.of(6L), new SimStorage());
        long epoch = leader.establish(FIVE, Set.of(6L), 1, 2, 6);
        // voter 4 is connected but has not even acknowledged the epoch
        leader.connect(4);
        leader.receive(4, new FollowerInfo(4, 0, 0));
        leader.outputs.clear();

        List<ZabOutput> outs = readIndex(leader, 1);
        long round = heartbeatsTo(outs, 1).get(0);
        assertThat(heartbeatsTo(outs, 2)).containsExactly(round);
        assertThat(heartbeatsTo(outs, 4)).isEmpty();
        assertThat(heartbeatsTo(outs, 6)).isEmpty();

        assertThat(leader.receive(6, new Ping(epoch, 0, round))).isEmpty(); // an observer
        assertThat(leader.receive(4, new Ping(epoch, 0, round))).isEmpty(); // not synchronised
        assertThat(leader.receive(2, new Ping(epoch - 1, 0, round))).isEmpty(); // another epoch
        assertThat(leader.receive(2, new Ping(epoch, 0, round + 1))).isEmpty(); // a heartbeat never sent
        assertThat(leader.receive(1, new Ping(epoch, 0, round))).isEmpty();

        assertThat(leader.receive(2, new Ping(epoch, 0, round))).containsExactly(new ZabOutput.ReadIndex(1, 0));
    }

    @Test
    void losingLeadershipFailsEveryPendingRequestBeforeTheRoleChange() {
        NodeDriver leader = new NodeDriver(3, THREE, Set.of(), new SimStorage());
        long epoch = leader.establish(THREE, Set.of(), 1);
        leader.outputs.clear();
        readIndex(leader, 1);
        readIndex(leader, 2);

        for (int i = 0; i < 6; i++) {
            leader.tick();
        }

        assertThat(leader.node.role()).isEqualTo(Role.LOOKING);
        List<ZabOutput> answers = leader.outputs.stream()
                .filter(o -> !(o instanceof ZabOutput.Send)).toList();
        assertThat(answers).startsWith(new ZabOutput.ReadIndexFailed(1), new ZabOutput.ReadIndexFailed(2),
                new ZabOutput.RoleChange(Role.LOOKING, epoch, ZabNode.NO_LEADER));
        assertThat(ofType(leader.outputs, ZabOutput.ReadIndex.class)).isEmpty();
        assertThat(leader.node.pendingReadIndexes()).isZero();
        assertThatThrownBy(() -> leader.node.readIndex(3)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onlyAnEstablishedLeaderGivesReadIndexes() {
        NodeDriver looking = new NodeDriver(3, THREE, Set.of(), new SimStorage());
        assertThatThrownBy(() -> looking.node.readIndex(1)).isInstanceOf(IllegalStateException.class);

        NodeDriver elected = new NodeDriver(3, THREE, Set.of(), new SimStorage());
        elected.elect(THREE);
        assertThat(elected.node.role()).isEqualTo(Role.LEADING);
        assertThatThrownBy(() -> elected.node.readIndex(1)).isInstanceOf(IllegalStateException.class);

        LocalEnsemble e = new LocalEnsemble(THREE, Set.of(), Map.of());
        e.connectAll();
        e.tick(2);
        ZabNode follower = e.nodes.values().stream().filter(ZabNode::isSynced).findFirst().orElseThrow();
        assertThatThrownBy(() -> follower.readIndex(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aStandaloneServerConfirmsAtOnceWithoutAMessage() {
        NodeDriver solo = new NodeDriver(1, Set.of(1L), Set.of(), new SimStorage());
        LogEntry e = new LogEntry(solo.node.nextZxid(), 9, 1, 0, 1, new byte[0]);
        solo.node.propose(e);
        solo.persisted(e.zxid());

        assertThat(readIndex(solo, 5)).containsExactly(new ZabOutput.ReadIndex(5, e.zxid()));
    }

    @Test
    void pendingRequestsAreBoundedByMaxOutstanding() {
        NodeDriver leader = leaderOfFive();
        int limit = ZabConfig.of(3, FIVE, Set.of(), 0).maxOutstanding();
        for (int i = 0; i < limit; i++) {
            leader.node.readIndex(i);
        }
        assertThatThrownBy(() -> leader.node.readIndex(limit)).isInstanceOf(IllegalStateException.class);
        assertThat(leader.node.pendingReadIndexes()).isEqualTo(limit);
    }

    @Test
    void anEnsembleConfirmsThroughItsFollowersAnswers() {
        LocalEnsemble e = new LocalEnsemble(THREE, Set.of(), Map.of());
        e.connectAll();
        e.tick(2);
        List<LogEntry> written = e.propose(3);
        ZabNode leader = e.leader();

        leader.readIndex(42);
        e.settle();

        assertThat(e.readAnswers.get(leader.myId()))
                .containsExactly(new ZabOutput.ReadIndex(42, written.get(2).zxid()));
    }

    @Test
    void aLeaderCutOffFromItsFollowersNeverConfirms() {
        LocalEnsemble e = new LocalEnsemble(THREE, Set.of(), Map.of());
        e.connectAll();
        e.tick(2);
        ZabNode leader = e.leader();
        for (long peer : THREE) {
            if (peer != leader.myId()) {
                leader.disconnected(peer);
            }
        }
        leader.readIndex(1);
        e.settle();
        assertThat(e.readAnswers.get(leader.myId())).isEmpty();

        // the leader gives up on its next tick: its request fails rather than being confirmed
        leader.tick();
        e.settle();

        assertThat(e.readAnswers.get(leader.myId())).containsExactly(new ZabOutput.ReadIndexFailed(1));
    }
}
