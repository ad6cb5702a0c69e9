package io.corral.server.zab;

import io.corral.log.LogEntry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.corral.server.zab.TestMemberships.reconfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Membership changes in the core ({@code reconfigEnabled=true}): a reconfig txn commits only with a quorum of the old
 * and of the new voters, becomes active at commit on every member (persisted, and a restart begins from it), a new
 * server syncs without a vote until the reconfig that adds it commits, a removed server stops serving, a removed
 * leader hands over, an observer made a voter joins again as a follower.
 */
class ReconfigurationTest {

    private static final Set<Long> THREE = Set.of(1L, 2L, 3L);

    private static LocalEnsemble ensemble(Set<Long> voters, Set<Long> observers) {
        LocalEnsemble e = new LocalEnsemble(voters, observers, Map.of(), TestMemberships.DECODER);
        e.connectAll();
        e.tick(20);
        assertThat(e.leader()).isNotNull();
        return e;
    }

    private static LogEntry reconfigure(LocalEnsemble e, Set<Long> voters, Set<Long> observers) {
        return e.proposeAtLeader(zxid -> reconfig(zxid, voters, observers));
    }

    private static void assertActiveEverywhere(LocalEnsemble e, Iterable<Long> ids, long version, Set<Long> voters) {
        for (long id : ids) {
            Membership m = e.node(id).membership();
            assertThat(m.version()).as("server %d's configuration in %s", id, e.nodes.values()).isEqualTo(version);
            assertThat(m.voters()).as("server %d's voters", id).isEqualTo(voters);
            assertThat(e.persistedMembership.get(id)).as("server %d persisted it", id).isEqualTo(m);
        }
    }

    @Test
    void aNewServerSyncsWithoutAVoteAndVotesOnceTheReconfigCommits() {
        LocalEnsemble e = ensemble(THREE, Set.of());
        List<LogEntry> before = e.propose(3);
        e.addServer(4, Set.of(1L, 2L, 3L, 4L), Set.of()); // started with the current members and itself
        e.tick(5);
        ZabNode newcomer = e.node(4);
        assertThat(newcomer.isSynced()).as("the new server follows: %s", newcomer).isTrue();
        assertThat(e.applied.get(4L)).containsSubsequence(before);
        assertThat(e.leader().membership().voters()).isEqualTo(THREE); // its acknowledgements do not count yet

        LogEntry r = reconfigure(e, Set.of(1L, 2L, 3L, 4L), Set.of());
        assertThat(e.leader().committedZxid()).isEqualTo(r.zxid());
        assertActiveEverywhere(e, List.of(1L, 2L, 3L, 4L), r.zxid(), Set.of(1L, 2L, 3L, 4L));
        assertThat(newcomer.isSynced()).isTrue();

        // four voters: three make a quorum, so with two of the old ones down nothing commits
        long leader = e.leader().myId();
        long[] others = List.of(1L, 2L, 3L).stream().filter(id -> id != leader).mapToLong(Long::longValue).toArray();
        e.crash(others[0]);
        List<LogEntry> withThree = e.propose(2);
        assertThat(e.applied.get(4L)).containsSubsequence(withThree);
        e.crash(others[1]);
        LogEntry last = e.propose(1).get(0);
        assertThat(e.node(leader).committedZxid()).isLessThan(last.zxid());
    }

    @Test
    void aReconfigWithoutASynchronisedQuorumOfItsVotersIsRefused() {
        LocalEnsemble e = ensemble(THREE, Set.of());
        long leader = e.leader().myId();
        assertThatThrownBy(() -> reconfigure(e, Set.of(leader, 4L, 5L), Set.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no quorum of the new configuration");
        assertThat(e.leader().reconfigInFlight()).isFalse();
        e.addServer(4, Set.of(1L, 2L, 3L, 4L), Set.of());
        e.tick(3);
        assertThat(e.leader().isQuorumSynced(new Membership(0, Set.of(leader, 4L, 5L), Set.of()))).isTrue();
    }

    @Test
    void aReconfigCommitsOnlyWithAQuorumOfTheNewVotersToo() {
        LocalEnsemble e = ensemble(THREE, Set.of());
        long leader = e.leader().myId();
        e.addServer(4, Set.of(1L, 2L, 3L, 4L, 5L), Set.of());
        e.addServer(5, Set.of(1L, 2L, 3L, 4L, 5L), Set.of());
        e.tick(3);
        Set<Long> next = Set.of(leader, 4L, 5L);
        // the new voters go down as it is proposed: the old voters acknowledge it, the new ones cannot
        ZabNode l = e.leader();
        LogEntry r = reconfig(l.nextZxid(), next, Set.of());
        l.propose(r);
        e.crash(4, 5);
        assertThat(l.committedZxid()).isLessThan(r.zxid());
        assertThat(l.reconfigInFlight()).isTrue();
        assertThatThrownBy(() -> l.propose(reconfig(l.nextZxid(), THREE, Set.of())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("one at a time");
        assertThat(l.membership().version()).isZero();
        // and, as ZooKeeper's, the leader needs a live quorum of both: it gives up until the new voters return
        e.tick(10);
        assertThat(e.leader()).isNull();

        e.restart(4);
        e.restart(5);
        e.tick(20);
        assertThat(e.leader()).as(e.nodes.values().toString()).isNotNull();
        assertActiveEverywhere(e, List.of(1L, 2L, 3L, 4L, 5L), r.zxid(), next);
        // the two replaced followers serve no more, and the new voters carry the quorum
        for (long id : THREE) {
            if (id != leader) {
                assertThat(e.node(id).role()).as("removed server %d", id).isEqualTo(Role.LOOKING);
                e.crash(id);
            }
        }
        e.tick(3);
        LogEntry after = e.propose(1).get(0);
        assertThat(e.node(4).committedZxid()).isEqualTo(after.zxid());
    }

    @Test
    void removedFollowersStopAndTheRestKeepAQuorum() {
        Set<Long> five = Set.of(1L, 2L, 3L, 4L, 5L);
        LocalEnsemble e = ensemble(five, Set.of());
        long leader = e.leader().myId();
        List<Long> removed = five.stream().filter(id -> id != leader).sorted().limit(2).toList();
        Set<Long> remaining = new java.util.TreeSet<>(five);
        remaining.removeAll(removed);
        LogEntry r = reconfigure(e, remaining, Set.of());
        assertActiveEverywhere(e, five, r.zxid(), remaining);
        for (long id : removed) {
            assertThat(e.node(id).role()).isEqualTo(Role.LOOKING);
            assertThat(e.node(id).lastChange()).contains("removed by configuration");
        }
        e.tick(10);
        for (long id : removed) {
            assertThat(e.node(id).role()).as("a removed server joins no leader").isEqualTo(Role.LOOKING);
            e.crash(id);
        }
        // three voters of three: the two removed being dead costs nothing; one more may fail
        long follower = remaining.stream().filter(id -> id != leader).findFirst().orElseThrow();
        e.crash(follower);
        LogEntry w = e.propose(1).get(0);
        assertThat(e.node(leader).committedZxid()).isEqualTo(w.zxid());

        e.restart(follower); // from its persisted configuration
        e.tick(5);
        assertThat(e.node(follower).membership()).isEqualTo(e.node(leader).membership());
        assertThat(e.node(follower).isSynced()).isTrue();
    }

    @Test
    void aRemovedLeaderHandsOverToANewVoter() {
        LocalEnsemble e = ensemble(THREE, Set.of(4L));
        List<LogEntry> before = e.propose(2);
        ZabNode old = e.leader();
        Set<Long> rest = new java.util.TreeSet<>(THREE);
        rest.remove(old.myId());
        LogEntry r = reconfigure(e, rest, Set.of(4L));
        e.settle();
        ZabNode next = e.leader();
        assertThat(next).as("a new leader without a timer").isNotNull();
        assertThat(rest).contains(next.myId());
        assertThat(old.role()).isEqualTo(Role.LOOKING);
        e.tick(10);
        assertThat(old.role()).as("removed: it serves no more").isEqualTo(Role.LOOKING);
        assertThat(e.node(4).isSynced()).isTrue();
        List<LogEntry> after = e.propose(2);
        for (long id : rest) {
            assertThat(e.applied.get(id)).containsSubsequence(before).contains(r).containsSubsequence(after);
        }
        assertThat(e.applied.get(4L)).containsSubsequence(after);
    }

    @Test
    void anObserverMadeAVoterFollowsAndCounts() {
        LocalEnsemble e = ensemble(THREE, Set.of(4L));
        assertThat(e.node(4).role()).isEqualTo(Role.OBSERVING);
        LogEntry r = reconfigure(e, Set.of(1L, 2L, 3L, 4L), Set.of());
        e.tick(3);
        assertActiveEverywhere(e, List.of(1L, 2L, 3L, 4L), r.zxid(), Set.of(1L, 2L, 3L, 4L));
        assertThat(e.node(4).role()).isEqualTo(Role.FOLLOWING);
        assertThat(e.node(4).isSynced()).isTrue();
        long leader = e.leader().myId();
        // with two of the first three down, 4's acknowledgement makes the quorum of three
        List<Long> down = THREE.stream().filter(id -> id != leader).toList();
        e.crash(down.get(0));
        LogEntry w = e.propose(1).get(0);
        assertThat(e.node(leader).committedZxid()).isEqualTo(w.zxid());
        assertThat(e.applied.get(4L)).contains(w);
    }

    @Test
    void aRestartedMemberTakesAnUncommittedReconfigFromItsLog() {
        LocalEnsemble e = ensemble(THREE, Set.of());
        e.addServer(4, Set.of(1L, 2L, 3L, 4L), Set.of());
        e.tick(3);
        ZabNode l = e.leader();
        long follower = THREE.stream().filter(id -> id != l.myId()).findFirst().orElseThrow();
        Set<Long> next = Set.of(l.myId(), follower, 4L, 5L); // 5 does not run: 4 is needed for a quorum of three
        LogEntry r = reconfig(l.nextZxid(), next, Set.of());
        l.propose(r);
        e.crash(4); // before it acknowledges: the reconfig stays pending
        e.crash(follower);
        e.restart(follower);
        assertThat(e.node(follower).reconfigInFlight()).isTrue();
        assertThat(e.node(follower).membership().version()).isZero();
        e.restart(4);
        e.tick(20);
        assertActiveEverywhere(e, List.of(1L, 2L, 3L, 4L), r.zxid(), next);
        assertThat(e.node(follower).isSynced()).as(e.nodes.values().toString()).isTrue();
    }

    /**
     * A member down while a reconfig commits learns the new configuration from a peer's notice as it looks for a
     * leader, before it has the reconfig txn; the shell can then only piece the lines together from the members it
     * knew (a member added by the reconfig has no line there). When the txn arrives by DIFF the configuration is
     * activated again, so that the shell persists the txn's lines: the process test found a member that kept the
     * new version with the old lines in its dynamic file and its {@code conf}.
     */
    @Test
    void aConfigurationLearnedFromAPeerIsActivatedAgainWhenItsTxnArrives() {
        LocalEnsemble e = ensemble(THREE, Set.of());
        e.addServer(4, Set.of(1L, 2L, 3L, 4L), Set.of());
        e.tick(3);
        long leader = e.leader().myId();
        long down = THREE.stream().filter(id -> id != leader).findFirst().orElseThrow();
        e.crash(down);
        LogEntry r = reconfigure(e, Set.of(1L, 2L, 3L, 4L), Set.of());
        assertThat(e.leader().committedZxid()).isEqualTo(r.zxid());

        e.restart(down);
        e.tick(20);
        assertActiveEverywhere(e, List.of(1L, 2L, 3L, 4L), r.zxid(), Set.of(1L, 2L, 3L, 4L));
        assertThat(e.node(down).isSynced()).as(e.nodes.values().toString()).isTrue();
        List<Boolean> withTxn = e.activationsWithTxn.get(down);
        assertThat(withTxn).as("server %d activated the configuration first from a notice, without its txn", down)
                .startsWith(false);
        assertThat(withTxn).as("then again once its txn was in the log").endsWith(true);
    }

    @Test
    void aServerSyncedFromASnapshotTakesTheConfigurationWithIt() {
        LocalEnsemble e = ensemble(THREE, Set.of());
        e.addServer(4, Set.of(1L, 2L, 3L, 4L), Set.of());
        e.tick(3);
        LogEntry r = reconfigure(e, Set.of(1L, 2L, 3L, 4L), Set.of());
        e.propose(2);
        ZabNode leader = e.leader();
        e.storages.get(leader.myId()).compact(e.applied.get(leader.myId())); // the reconfig txn leaves the log
        e.addServer(5, Set.of(1L, 2L, 3L, 4L, 5L), Set.of());
        e.tick(3);
        ZabNode joined = e.node(5);
        assertThat(joined.isSynced()).as(e.nodes.values().toString()).isTrue();
        assertThat(e.storages.get(5L).snapshotZxid()).as("synchronised from a snapshot").isPositive();
        assertThat(joined.membership()).isEqualTo(leader.membership());
        assertThat(joined.membership().version()).isEqualTo(r.zxid());
        assertThat(e.persistedMembership.get(5L)).isEqualTo(leader.membership());
    }

    @Test
    void theStaticPathIsUnchanged() {
        LocalEnsemble e = new LocalEnsemble(THREE, Set.of(), Map.of());
        e.connectAll();
        e.tick(20);
        ZabNode leader = e.leader();
        // a txn of the reconfig opcode is just a txn without reconfiguration
        LogEntry r = e.proposeAtLeader(zxid -> reconfig(zxid, Set.of(1L), Set.of()));
        assertThat(leader.committedZxid()).isEqualTo(r.zxid());
        assertThat(leader.membership().voters()).isEqualTo(THREE);
        assertThat(leader.reconfigInFlight()).isFalse();
        assertThat(e.persistedMembership).isEmpty();
    }
}
