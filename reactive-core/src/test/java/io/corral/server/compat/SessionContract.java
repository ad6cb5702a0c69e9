package io.corral.server.compat;

import static io.corral.server.compat.KeeperAssertions.assertKeeperError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/**
 * Session life cycle: close, expiry, resume, password check, timeout negotiation (ZK_WIRE.md §3.3, §7.10). The shared
 * server runs with tickTime 200 ms, so sessions may be negotiated between 400 and 4000 ms.
 */
public abstract class SessionContract extends AbstractCompatContract {

    private static final int TICK = 200;
    private static final int MIN_TIMEOUT = 2 * TICK;
    private static final int MAX_TIMEOUT = 20 * TICK;
    private static final Duration EXPIRY_BOUND = Duration.ofSeconds(10);
    private static final byte[] DATA = "data".getBytes(StandardCharsets.UTF_8);

    @Override
    protected Map<String, String> serverConfig() {
        return Map.of("tickTime", Integer.toString(TICK));
    }

    /** Stops the client without sending closeSession: the server keeps the session until it expires. */
    private static void abandon(ZooKeeper zk) {
        zk.getTestable().injectSessionExpiration();
    }

    @Test
    void sessionsHaveDistinctIdsAndSixteenBytePasswords() {
        ZooKeeper a = connect();
        ZooKeeper b = connect();
        assertThat(a.getSessionId()).isNotZero().isNotEqualTo(b.getSessionId());
        assertThat(a.getSessionPasswd()).hasSize(16);
        assertThat(b.getSessionPasswd()).hasSize(16);
    }

    @Test
    void closeRemovesEphemeralsInOneTransactionAndNotifiesOtherClients() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper observer = connect(events);
        ZooKeeper owner = connect();
        observer.create("/s-close", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        owner.create("/s-close/e1", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        owner.create("/s-close/e2", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
        String e2 = observer.getChildren("/s-close", true).stream().filter(c -> !c.equals("e1")).findFirst()
                .map(c -> "/s-close/" + c).orElseThrow();
        observer.exists("/s-close/e1", true);
        observer.getData(e2, true, null);

        owner.close();

        List<WatchedEvent> received = events.next(3);
        events.assertNoMore();
        assertThat(received).extracting(e -> e.getType() + " " + e.getPath()).containsExactlyInAnyOrder(
                "NodeDeleted /s-close/e1", "NodeDeleted " + e2, "NodeChildrenChanged /s-close");
        Set<Long> zxids = received.stream().map(WatchedEvent::getZxid).collect(Collectors.toSet());
        assertThat(zxids).hasSize(1);
        Stat parent = observer.exists("/s-close", false);
        assertThat(parent.getNumChildren()).isZero();
        assertThat(parent.getPzxid()).isEqualTo(zxids.iterator().next());
    }

    @Test
    void closedSessionCannotBeResumed() throws Exception {
        ZooKeeper zk = connect();
        long id = zk.getSessionId();
        byte[] password = zk.getSessionPasswd();
        zk.close();

        RecordingWatcher states = new RecordingWatcher();
        track(ZkClients.reattachNoWait(server.connectString(), 4000, id, password, states));
        states.awaitState(KeeperState.Expired, EXPIRY_BOUND);
    }

    @Test
    void abandonedSessionExpiresAndItsEphemeralsAreDeleted() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper observer = connect(events);
        observer.create("/s-expire", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        ZooKeeper doomed = connect(server, MIN_TIMEOUT, null);
        assertThat(doomed.getSessionTimeout()).isEqualTo(MIN_TIMEOUT);
        long id = doomed.getSessionId();
        byte[] password = doomed.getSessionPasswd();
        doomed.create("/s-expire/e", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        observer.exists("/s-expire/e", true);
        observer.getChildren("/s-expire", true);

        abandon(doomed);

        events.expect(EventType.NodeDeleted, "/s-expire/e");
        events.expect(EventType.NodeChildrenChanged, "/s-expire");
        assertThat(observer.exists("/s-expire/e", false)).isNull();

        RecordingWatcher states = new RecordingWatcher();
        track(ZkClients.reattachNoWait(server.connectString(), MIN_TIMEOUT, id, password, states));
        states.awaitState(KeeperState.Expired, EXPIRY_BOUND);
    }

    @Test
    void resumingWithTheRightPasswordKeepsTheSessionItsEphemeralsAndTakesTheNewTimeout() throws Exception {
        ZooKeeper first = connect(server, 2000, null);
        assertThat(first.getSessionTimeout()).isEqualTo(2000);
        long id = first.getSessionId();
        byte[] password = first.getSessionPasswd();
        Stat created = new Stat();
        first.create("/s-resume", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, created);
        abandon(first);

        ZooKeeper resumed = track(ZkClients.reattach(server.connectString(), 3000, id, password, null));
        assertThat(resumed.getSessionId()).isEqualTo(id);
        assertThat(resumed.getSessionPasswd()).isEqualTo(password);
        assertThat(resumed.getSessionTimeout()).isEqualTo(3000);
        Stat stat = resumed.exists("/s-resume", false);
        assertThat(stat).isNotNull();
        assertThat(stat.getEphemeralOwner()).isEqualTo(id);
        assertThat(resumed.getEphemerals()).containsExactly("/s-resume");

        // the resumed session stays alive beyond the original timeout because the new connection pings
        ZooKeeper observer = connect();
        resumed.close();
        await().atMost(EXPIRY_BOUND).until(() -> observer.exists("/s-resume", false) == null);
    }

    @Test
    void resumingWithAWrongPasswordIsRejectedAsExpired() throws Exception {
        ZooKeeper owner = connect();
        owner.create("/s-wrongpw", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        byte[] wrong = owner.getSessionPasswd().clone();
        wrong[0] ^= 0x5A;

        RecordingWatcher states = new RecordingWatcher();
        track(ZkClients.reattachNoWait(server.connectString(), 4000, owner.getSessionId(), wrong, states));
        states.awaitState(KeeperState.Expired, EXPIRY_BOUND);

        // the real session is unaffected (ZooKeeper 3.9.5 drops the owner's connection when the resume attempt
        // arrives, before checking the password; the owner reconnects to its session, so tolerate ConnectionLoss)
        long ownerId = owner.getSessionId();
        await().atMost(EXPIRY_BOUND).ignoreExceptions()
                .until(() -> owner.exists("/s-wrongpw", false) != null);
        assertThat(owner.getSessionId()).isEqualTo(ownerId);
        assertThat(owner.exists("/s-wrongpw", false).getEphemeralOwner()).isEqualTo(ownerId);
    }

    @Test
    void resumingAnUnknownSessionIsRejectedAsExpired() {
        RecordingWatcher states = new RecordingWatcher();
        track(ZkClients.reattachNoWait(server.connectString(), 4000, 0x0123456789ABCDEFL, new byte[16], states));
        states.awaitState(KeeperState.Expired, EXPIRY_BOUND);
    }

    @Test
    void sessionSurvivesAConnectionLossAndWatchesAreReArmed() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect(events);
        ZooKeeper writer = connect();
        zk.create("/s-reconnect", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/s-reconnect/e", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.getData("/s-reconnect/e", true, null);
        zk.getChildren("/s-reconnect", true);
        zk.exists("/s-reconnect/later", true);
        long id = zk.getSessionId();

        zk.getTestable().closeSocket();
        events.awaitState(KeeperState.Disconnected, EXPIRY_BOUND);
        events.awaitState(KeeperState.SyncConnected, EXPIRY_BOUND);
        assertThat(zk.getSessionId()).isEqualTo(id);
        assertThat(zk.exists("/s-reconnect/e", false).getEphemeralOwner()).isEqualTo(id);

        writer.setData("/s-reconnect/e", DATA, -1);
        events.expect(EventType.NodeDataChanged, "/s-reconnect/e");
        writer.create("/s-reconnect/later", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        events.expect(EventType.NodeCreated, "/s-reconnect/later");
        events.expect(EventType.NodeChildrenChanged, "/s-reconnect");
        events.assertNoMore();
    }

    @Test
    void negotiatedTimeoutIsClampedToTwoAndTwentyTicks() {
        assertThat(connect(server, 100, null).getSessionTimeout()).isEqualTo(MIN_TIMEOUT);
        assertThat(connect(server, 1000, null).getSessionTimeout()).isEqualTo(1000);
        assertThat(connect(server, 100_000, null).getSessionTimeout()).isEqualTo(MAX_TIMEOUT);
    }

    @Test
    void configuredMinAndMaxSessionTimeoutsWin() {
        ServerUnderTest custom = freshServer(Map.of("tickTime", Integer.toString(TICK),
                "minSessionTimeout", "1000", "maxSessionTimeout", "3000"));
        assertThat(connect(custom, 500, null).getSessionTimeout()).isEqualTo(1000);
        assertThat(connect(custom, 2000, null).getSessionTimeout()).isEqualTo(2000);
        assertThat(connect(custom, 10_000, null).getSessionTimeout()).isEqualTo(3000);
    }

    @Test
    void ephemeralsOfOneSessionAreInvisibleToAnotherSessionsGetEphemerals() throws Exception {
        ZooKeeper a = connect();
        ZooKeeper b = connect();
        a.create("/s-own", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        assertThat(b.getEphemerals()).isEmpty();
        assertThat(b.exists("/s-own", false).getEphemeralOwner()).isEqualTo(a.getSessionId());
        assertKeeperError(Code.NODEEXISTS,
                () -> b.create("/s-own", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL));
        // another session may delete it
        b.delete("/s-own", -1);
        assertThat(a.getEphemerals()).isEmpty();
    }
}
