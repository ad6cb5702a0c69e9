package io.corral.server.sequencer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.log.LogEntry;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.ReconfigRequest;
import io.corral.server.config.ServerLines;
import io.corral.server.quorum.Quorum;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The reconfig checks in ZooKeeper 3.9.5's order, against a leader whose state the test sets (the ensemble's side is
 * ReconfigContract's, with ZooKeeperAdmin on real ensembles): the cases an ensemble cannot produce at will, such as a
 * reconfig still in flight.
 */
class ReconfigPlannerTest {
    private static final String THREE = "server.1=127.0.0.1:2001:3001:participant;127.0.0.1:4001\n"
            + "server.2=127.0.0.1:2002:3002:participant;127.0.0.1:4002\n"
            + "server.3=127.0.0.1:2003:3003:observer;127.0.0.1:4003\n";
    private static final String FOUR = "server.4=127.0.0.1:2004:3004:participant;127.0.0.1:4004";

    /** A leader as the planner asks it: its configuration, a reconfig in flight or not, its synchronised voters. */
    private static final class Leader implements Quorum {
        ServerLines configuration = ServerLines.parse(THREE, 0x100000000L);
        boolean inFlight;
        Set<Long> synced = Set.of(1L, 2L, 3L, 4L);

        @Override public void propose(LogEntry entry) { throw new UnsupportedOperationException(); }
        @Override public long committedZxid() { return 0; }
        @Override public boolean hasRoom() { return true; }
        @Override public void sync() { throw new UnsupportedOperationException(); }
        @Override public void close() { }
        @Override public boolean reconfigEnabled() { return true; }
        @Override public ServerLines configuration() { return configuration; }
        @Override public boolean reconfigInFlight() { return inFlight; }

        @Override
        public boolean isQuorumSynced(ServerLines next) {
            return next.voters().stream().filter(synced::contains).count() > next.voters().size() / 2;
        }
    }

    private final Leader leader = new Leader();
    private final ReconfigPlanner planner = new ReconfigPlanner(() -> leader, true);

    private String plan(String joining, String leaving, String members, long from) throws KeeperError {
        return new String(planner.plan(new ReconfigRequest(joining, leaving, members, from), 0x100000007L, false),
                StandardCharsets.UTF_8);
    }

    private int refusal(String joining, String leaving, String members, long from) {
        try {
            plan(joining, leaving, members, from);
            throw new AssertionError("accepted");
        } catch (KeeperError e) {
            return e.code;
        }
    }

    @Test
    void incrementalAddAndRemoveMakeTheNextConfigurationWithTheTxnsZxidAsVersion() throws KeeperError {
        assertThat(plan(" " + FOUR + " , ", "3", null, 0x100000000L)).isEqualTo(
                "server.1=127.0.0.1:2001:3001:participant;127.0.0.1:4001\n"
                        + "server.2=127.0.0.1:2002:3002:participant;127.0.0.1:4002\n"
                        + FOUR + "\nversion=100000007");
        // a joining line replaces the line of the same id: the observer becomes a participant
        assertThat(plan("server.3=127.0.0.1:2003:3003:participant;127.0.0.1:4003", null, null, -1))
                .contains("server.3=127.0.0.1:2003:3003:participant;127.0.0.1:4003\n");
    }

    @Test
    void nonIncrementalMembersSeparatedByCommasOrNewlines() throws KeeperError {
        assertThat(plan(null, null, "server.1=127.0.0.1:2001:3001;4001," + FOUR, -1)).isEqualTo(
                "server.1=127.0.0.1:2001:3001:participant;0.0.0.0:4001\n" + FOUR + "\nversion=100000007");
    }

    @Test
    void refusalsInZooKeepersOrder() {
        leader.inFlight = true;
        assertThat(refusal(FOUR, null, null, 12345)).isEqualTo(ErrorCode.RECONFIG_IN_PROGRESS);
        leader.inFlight = false;
        assertThat(refusal(FOUR, null, null, 12345)).isEqualTo(ErrorCode.BAD_VERSION);
        assertThat(refusal("server.4=127.0.0.1:2004:3004", null, null, -1)).isEqualTo(ErrorCode.BAD_ARGUMENTS);
        assertThat(refusal("server.4", null, null, -1)).isEqualTo(ErrorCode.BAD_ARGUMENTS);
        assertThat(refusal("server.4=127.0.0.1:2001:3004;4004", null, null, -1)).as("server 1's quorum address")
                .isEqualTo(ErrorCode.BAD_ARGUMENTS);
        assertThat(refusal(null, "x", null, -1)).isEqualTo(ErrorCode.MARSHALLING_ERROR);
        assertThat(refusal(null, null, "server.1=127.0.0.1:2001:3001;4001,tickTime=2", -1))
                .isEqualTo(ErrorCode.BAD_ARGUMENTS);
        // fewer than two voters with standaloneEnabled
        assertThat(refusal(null, "2", null, -1)).isEqualTo(ErrorCode.BAD_ARGUMENTS);
        leader.synced = Set.of(1L);
        assertThat(refusal(FOUR, null, null, -1)).isEqualTo(ErrorCode.NEW_CONFIG_NO_QUORUM);
    }

    @Test
    void disabledClosingAndSingleVoterWithoutStandalone() throws KeeperError {
        assertThatThrownBy(() -> ReconfigPlanner.disabled().plan(new ReconfigRequest(FOUR, null, null, -1), 1, false))
                .isInstanceOfSatisfying(KeeperError.class, e -> assertThat(e.code).isEqualTo(ErrorCode.RECONFIG_DISABLED));
        assertThatThrownBy(() -> planner.plan(new ReconfigRequest(FOUR, null, null, -1), 1, true))
                .isInstanceOfSatisfying(KeeperError.class, e -> assertThat(e.code).isEqualTo(ErrorCode.SESSION_EXPIRED));
        ReconfigPlanner ensembleOfOne = new ReconfigPlanner(() -> leader, false);
        assertThat(new String(ensembleOfOne.plan(new ReconfigRequest(null, "2", null, -1), 9, false),
                StandardCharsets.UTF_8)).startsWith("server.1=").contains("server.3=").endsWith("version=9");
    }
}
