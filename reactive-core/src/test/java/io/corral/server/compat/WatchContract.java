package io.corral.server.compat;

import static io.corral.server.compat.KeeperAssertions.acl;
import static io.corral.server.compat.KeeperAssertions.acls;
import static io.corral.server.compat.KeeperAssertions.assertKeeperError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.WatcherType;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/** Watch registration, triggering, de-duplication, ordering, persistent watches, removal (ZK_WIRE.md §7.7). */
public abstract class WatchContract extends AbstractCompatContract {

    private static final byte[] DATA = "data".getBytes(StandardCharsets.UTF_8);

    @Test
    void dataWatchFiresNodeDataChangedOnlyOnce() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect(events);
        zk.create("/w-data", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.getData("/w-data", true, null);

        Stat changed = zk.setData("/w-data", DATA, -1);
        WatchedEvent e = events.expect(EventType.NodeDataChanged, "/w-data");
        assertThat(e.getZxid()).isEqualTo(changed.getMzxid());
        zk.setData("/w-data", DATA, -1);
        events.assertNoMore();
    }

    @Test
    void watchFiresForAnotherClientsWrite() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper watcher = connect(events);
        ZooKeeper writer = connect();
        writer.create("/w-other", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        watcher.getData("/w-other", true, null);
        writer.setData("/w-other", DATA, -1);
        events.expect(EventType.NodeDataChanged, "/w-other");
        events.assertNoMore();
    }

    @Test
    void existsWatchOnMissingNodeFiresNodeCreated() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect(events);
        assertThat(zk.exists("/w-created", true)).isNull();
        Stat created = new Stat();
        zk.create("/w-created", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);
        WatchedEvent e = events.expect(EventType.NodeCreated, "/w-created");
        assertThat(e.getZxid()).isEqualTo(created.getCzxid());
        zk.setData("/w-created", DATA, -1);
        events.assertNoMore();
    }

    @Test
    void existsWatchOnExistingNodeFiresDataChangedAndDeleted() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect(events);
        zk.create("/w-exists", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.exists("/w-exists", true);
        zk.setData("/w-exists", DATA, -1);
        events.expect(EventType.NodeDataChanged, "/w-exists");
        zk.exists("/w-exists", true);
        zk.delete("/w-exists", -1);
        events.expect(EventType.NodeDeleted, "/w-exists");
        events.assertNoMore();
    }

    @Test
    void getDataOnMissingNodeSetsNoWatch() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect(events);
        assertKeeperError(Code.NONODE, () -> zk.getData("/w-nodata", true, null));
        zk.create("/w-nodata", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        events.assertNoMore();
    }

    @Test
    void childWatchFiresNodeChildrenChangedOnCreateAndDelete() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect(events);
        zk.create("/w-kids", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.getChildren("/w-kids", true);
        zk.create("/w-kids/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        events.expect(EventType.NodeChildrenChanged, "/w-kids");
        zk.create("/w-kids/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        events.assertNoMore(); // one-shot

        zk.getChildren("/w-kids", true, new Stat());
        zk.setData("/w-kids", DATA, -1); // data change is not a child change
        zk.setData("/w-kids/a", DATA, -1); // nor is a child's data change
        events.assertNoMore();
        zk.delete("/w-kids/a", -1);
        events.expect(EventType.NodeChildrenChanged, "/w-kids");
        events.assertNoMore();
    }

    @Test
    void deleteFiresOneNodeDeletedForDataAndChildWatchesThenTheParentsChildEvent() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect(events);
        zk.create("/w-del", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/w-del/node", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.getData("/w-del/node", true, null);
        zk.getChildren("/w-del/node", true);
        zk.getChildren("/w-del", true);

        zk.delete("/w-del/node", -1);
        WatchedEvent deleted = events.expect(EventType.NodeDeleted, "/w-del/node");
        WatchedEvent parent = events.expect(EventType.NodeChildrenChanged, "/w-del");
        assertThat(parent.getZxid()).isEqualTo(deleted.getZxid());
        assertThat(zk.exists("/w-del", false).getPzxid()).isEqualTo(deleted.getZxid());
        events.assertNoMore();
    }

    @Test
    void createFiresNodeCreatedBeforeTheParentsNodeChildrenChanged() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect(events);
        zk.create("/w-cord", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.exists("/w-cord/x", true);
        zk.getChildren("/w-cord", true);
        zk.create("/w-cord/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        events.expect(EventType.NodeCreated, "/w-cord/x");
        events.expect(EventType.NodeChildrenChanged, "/w-cord");
        events.assertNoMore();
    }

    @Test
    void dataAndExistWatchOnTheSameNodeYieldOneEvent() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect(events);
        zk.create("/w-dedup", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.getData("/w-dedup", true, null);
        zk.exists("/w-dedup", true);
        zk.setData("/w-dedup", DATA, -1);
        events.expect(EventType.NodeDataChanged, "/w-dedup");
        events.assertNoMore();
    }

    @Test
    void serverSendsOneNotificationWhenPersistentAndOneShotWatchesMatch() throws Exception {
        // a persistent watch survives its event, so a duplicate notification from the server would reach it twice
        ZooKeeper zk = connect();
        RecordingWatcher persistent = new RecordingWatcher();
        RecordingWatcher oneShot = new RecordingWatcher();
        zk.create("/w-dedup2", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.addWatch("/w-dedup2", persistent, AddWatchMode.PERSISTENT);
        RecordingWatcher recursive = new RecordingWatcher();
        zk.addWatch("/w-dedup2", recursive, AddWatchMode.PERSISTENT_RECURSIVE);
        zk.getData("/w-dedup2", oneShot, null);
        zk.exists("/w-dedup2", oneShot);

        zk.setData("/w-dedup2", DATA, -1);
        persistent.expect(EventType.NodeDataChanged, "/w-dedup2");
        oneShot.expect(EventType.NodeDataChanged, "/w-dedup2");
        recursive.expect(EventType.NodeDataChanged, "/w-dedup2");
        persistent.assertNoMore();
        oneShot.assertNoMore();
        recursive.assertNoMore();
    }

    @Test
    void notificationIsDeliveredBeforeTheReplyOfTheWriteThatTriggeredIt() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect(events);
        zk.create("/w-order", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.getData("/w-order", true, null);

        // the client's event thread runs watch callbacks and async completions in arrival order
        CompletableFuture<List<WatchedEvent>> seenAtReply = new CompletableFuture<>();
        zk.setData("/w-order", DATA, -1, (rc, path, ctx, stat) -> seenAtReply.complete(events.all()), null);
        List<WatchedEvent> seen = seenAtReply.get(10, TimeUnit.SECONDS);
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).getType()).isEqualTo(EventType.NodeDataChanged);
    }

    @Test
    void eventsOfOneClientArriveInZxidOrder() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper watcher = connect(events);
        ZooKeeper writer = connect();
        writer.create("/w-zxid", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (int i = 0; i < 5; i++) {
            writer.create("/w-zxid/n" + i, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            watcher.getData("/w-zxid/n" + i, true, null);
        }
        for (int i = 4; i >= 0; i--) {
            writer.setData("/w-zxid/n" + i, DATA, -1, null, null); // async, pipelined
        }
        List<WatchedEvent> received = events.next(5);
        assertThat(received).extracting(WatchedEvent::getPath)
                .containsExactly("/w-zxid/n4", "/w-zxid/n3", "/w-zxid/n2", "/w-zxid/n1", "/w-zxid/n0");
        assertThat(received).extracting(WatchedEvent::getZxid).isSorted();
        events.assertNoMore();
    }

    @Test
    void setAclFiresNothing() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect(events);
        zk.create("/w-acl", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/w-acl/c", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.getData("/w-acl/c", true, null);
        zk.getChildren("/w-acl", true);
        zk.addWatch("/w-acl", AddWatchMode.PERSISTENT_RECURSIVE);

        zk.setACL("/w-acl/c", Ids.OPEN_ACL_UNSAFE, -1);
        zk.setACL("/w-acl", Ids.OPEN_ACL_UNSAFE, -1);
        events.assertNoMore();

        zk.setData("/w-acl/c", DATA, -1); // the one-shot watch is still armed
        events.expect(EventType.NodeDataChanged, "/w-acl/c");
        events.assertNoMore();
        zk.removeAllWatches("/w-acl", WatcherType.Any, false);
    }

    @Test
    void persistentWatchFiresRepeatedlyForTheNodeAndItsChildrenList() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect();
        zk.create("/w-pers", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.addWatch("/w-pers", events, AddWatchMode.PERSISTENT);

        zk.setData("/w-pers", DATA, -1);
        zk.setData("/w-pers", DATA, -1);
        zk.create("/w-pers/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setData("/w-pers/c", DATA, -1); // not for a non-recursive watch
        zk.delete("/w-pers/c", -1);
        zk.delete("/w-pers", -1);
        zk.create("/w-pers", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT); // survives deletion

        events.expect(EventType.NodeDataChanged, "/w-pers");
        events.expect(EventType.NodeDataChanged, "/w-pers");
        events.expect(EventType.NodeChildrenChanged, "/w-pers");
        events.expect(EventType.NodeChildrenChanged, "/w-pers");
        events.expect(EventType.NodeDeleted, "/w-pers");
        events.expect(EventType.NodeCreated, "/w-pers");
        events.assertNoMore();
        zk.removeWatches("/w-pers", events, WatcherType.Persistent, false);
    }

    @Test
    void recursiveWatchSeesDescendantsButNeverChildrenChanged() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect();
        zk.addWatch("/w-rec", events, AddWatchMode.PERSISTENT_RECURSIVE); // node does not exist yet

        zk.create("/w-rec", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/w-rec/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/w-rec/a/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setData("/w-rec/a/b", DATA, -1);
        zk.setData("/w-rec/a/b", DATA, -1);
        zk.delete("/w-rec/a/b", -1);
        zk.create("/w-recx", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT); // sibling with a common prefix

        events.expect(EventType.NodeCreated, "/w-rec");
        events.expect(EventType.NodeCreated, "/w-rec/a");
        events.expect(EventType.NodeCreated, "/w-rec/a/b");
        events.expect(EventType.NodeDataChanged, "/w-rec/a/b");
        events.expect(EventType.NodeDataChanged, "/w-rec/a/b");
        events.expect(EventType.NodeDeleted, "/w-rec/a/b");
        events.assertNoMore();
        zk.removeWatches("/w-rec", events, WatcherType.PersistentRecursive, false);
    }

    @Test
    void multiFiresTheEventsOfItsSubOperationsWithOneZxid() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect();
        zk.create("/w-multi", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/w-multi/old", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.addWatch("/w-multi", events, AddWatchMode.PERSISTENT_RECURSIVE);
        zk.multi(List.of(
                Op.create("/w-multi/new", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.setData("/w-multi", DATA, -1),
                Op.delete("/w-multi/old", -1)));
        WatchedEvent created = events.expect(EventType.NodeCreated, "/w-multi/new");
        WatchedEvent changed = events.expect(EventType.NodeDataChanged, "/w-multi");
        WatchedEvent deleted = events.expect(EventType.NodeDeleted, "/w-multi/old");
        assertThat(changed.getZxid()).isEqualTo(created.getZxid());
        assertThat(deleted.getZxid()).isEqualTo(created.getZxid());
        events.assertNoMore();
        zk.removeWatches("/w-multi", events, WatcherType.PersistentRecursive, false);
    }

    @Test
    void removeWatchesDisarmsTheWatchAndReportsTheRemoval() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect();
        zk.create("/w-remove", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.getData("/w-remove", events, null);
        zk.removeWatches("/w-remove", events, WatcherType.Data, false);
        events.expect(EventType.DataWatchRemoved, "/w-remove");

        zk.setData("/w-remove", DATA, -1);
        events.assertNoMore();
    }

    @Test
    void removeAllWatchesOfAType() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect(events);
        zk.create("/w-removeall", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.getData("/w-removeall", true, null);
        zk.getChildren("/w-removeall", true);
        zk.removeAllWatches("/w-removeall", WatcherType.Children, false);
        events.expect(EventType.ChildWatchRemoved, "/w-removeall");

        zk.create("/w-removeall/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        events.assertNoMore();
        zk.setData("/w-removeall", DATA, -1); // the data watch is still armed
        events.expect(EventType.NodeDataChanged, "/w-removeall");
        events.assertNoMore();
    }

    @Test
    void removingAWatchThatDoesNotExistFailsWithNoWatcher() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect(events);
        zk.create("/w-nowatch", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertKeeperError(Code.NOWATCHER,
                () -> zk.removeWatches("/w-nowatch", events, WatcherType.Data, false));
        assertKeeperError(Code.NOWATCHER,
                () -> zk.removeAllWatches("/w-nowatch", WatcherType.Any, false));
        zk.getData("/w-nowatch", true, null);
        assertKeeperError(Code.NOWATCHER,
                () -> zk.removeAllWatches("/w-nowatch", WatcherType.Children, false));
        assertThat(Code.NOWATCHER.intValue()).isEqualTo(-121);
    }

    @Test
    void eventsAreOnlyDeliveredToConnectionsWithReadPermission() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper observer = connect(events);
        ZooKeeper owner = connect();
        owner.addAuthInfo("digest", "alice:pw".getBytes(StandardCharsets.UTF_8));
        owner.create("/w-aclf", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(observer.exists("/w-aclf/secret", true)).isNull();
        assertThat(observer.exists("/w-aclf/public", true)).isNull();
        owner.create("/w-aclf/secret", DATA, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        owner.create("/w-aclf/public", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        events.expect(EventType.NodeCreated, "/w-aclf/public");
        events.assertNoMore();
    }

    @Test
    void recursiveWatchIsFilteredPerNodeByAcl() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper observer = connect();
        ZooKeeper owner = connect();
        owner.addAuthInfo("digest", "alice:pw".getBytes(StandardCharsets.UTF_8));
        owner.create("/w-aclr", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        observer.addWatch("/w-aclr", events, AddWatchMode.PERSISTENT_RECURSIVE);

        owner.create("/w-aclr/hidden", DATA, acls(acl(Perms.ALL & ~Perms.READ, "world", "anyone")),
                CreateMode.PERSISTENT);
        owner.setData("/w-aclr/hidden", DATA, -1);
        owner.create("/w-aclr/visible", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        events.expect(EventType.NodeCreated, "/w-aclr/visible");
        events.assertNoMore();
        observer.removeWatches("/w-aclr", events, WatcherType.PersistentRecursive, false);
    }

    @Test
    void existsWatchOnANodeWithoutReadPermissionIsRefused() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect(events);
        zk.create("/w-noread", DATA, acls(acl(Perms.ALL & ~Perms.READ, "world", "anyone")), CreateMode.PERSISTENT);
        assertKeeperError(Code.NOAUTH, () -> zk.exists("/w-noread", true));
        zk.setData("/w-noread", DATA, -1);
        events.assertNoMore();
    }

    @Test
    void allWatchingClientsAreNotified() throws Exception {
        RecordingWatcher a = new RecordingWatcher();
        RecordingWatcher b = new RecordingWatcher();
        ZooKeeper zkA = connect(a);
        ZooKeeper zkB = connect(b);
        zkA.create("/w-many", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zkA.getData("/w-many", true, null);
        zkB.exists("/w-many", true);
        zkB.delete("/w-many", -1);
        a.expect(EventType.NodeDeleted, "/w-many");
        b.expect(EventType.NodeDeleted, "/w-many");
        a.assertNoMore();
        b.assertNoMore();
    }
}
