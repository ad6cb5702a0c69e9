package io.corral.server.sequencer;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.protocol.Acl;
import io.corral.server.tree.DataTree;
import org.junit.jupiter.api.Test;

class PendingChangesTest {
    private static final long SESSION = 0x0100_0000_0000_0001L;

    private final DataTree tree = new DataTree();
    private final PendingChanges pending = new PendingChanges(tree);

    private NodeRecord inTree(String path) {
        return NodeRecord.of(path, tree.get(path));
    }

    @Test
    void lookupFallsThroughToTheTree() {
        assertThat(pending.isEmpty()).isTrue();
        NodeRecord root = pending.lookup("/");
        assertThat(root).isEqualTo(inTree("/"));
        assertThat(root.numChildren()).isOne();
        assertThat(root.exists()).isTrue();
        assertThat(pending.lookup("/zookeeper/config").aversion()).isEqualTo(-1);
        assertThat(pending.lookup("/missing")).isNull();
    }

    @Test
    void pendingRecordsShadowTheTree() {
        NodeRecord created = NodeRecord.created("/a", 5, 0, Acl.OPEN_ACL_UNSAFE, null);
        pending.add(inTree("/").withChildAdded(5));
        pending.add(created);
        assertThat(pending.lookup("/a")).isSameAs(created);
        assertThat(pending.lookup("/").numChildren()).isEqualTo(2);
        assertThat(pending.lookup("/").childCreations()).isEqualTo(1);
        assertThat(tree.get("/a")).as("the tree is untouched").isNull();

        pending.add(inTree("/zookeeper/quota").deleted(6));
        assertThat(pending.lookup("/zookeeper/quota")).as("deleted by a pending txn").isNull();
        assertThat(tree.get("/zookeeper/quota")).isNotNull();
        assertThat(pending.isEmpty()).isFalse();
    }

    @Test
    void rollbackRestoresTheRecordsItShadowed() {
        NodeRecord v1 = NodeRecord.created("/a", 5, 0, Acl.OPEN_ACL_UNSAFE, null);
        NodeRecord v2 = v1.withData(6, 1, null);
        pending.add(v1);
        pending.add(v2);
        int mark = pending.mark();
        pending.add(v2.withData(7, 2, null));
        pending.add(v2.deleted(7));
        pending.add(NodeRecord.created("/b", 7, 0, Acl.OPEN_ACL_UNSAFE, null));
        pending.add(inTree("/zookeeper").withChildAdded(7));
        assertThat(pending.lookup("/a")).isNull();

        pending.rollback(mark);

        assertThat(pending.lookup("/a")).as("the newest record before the mark").isSameAs(v2);
        assertThat(pending.lookup("/b")).isNull();
        assertThat(pending.lookup("/zookeeper")).isEqualTo(inTree("/zookeeper"));
        assertThat(pending.mark()).isEqualTo(mark);
    }

    @Test
    void rollbackToAnEmptyOverlayShowsTheTreeAgain() {
        int mark = pending.mark();
        pending.add(inTree("/zookeeper/quota").deleted(3));
        pending.add(inTree("/zookeeper").withChildRemoved(3));
        pending.rollback(mark);
        assertThat(pending.isEmpty()).isTrue();
        assertThat(pending.lookup("/zookeeper/quota")).isEqualTo(inTree("/zookeeper/quota"));
        assertThat(pending.lookup("/zookeeper").numChildren()).isEqualTo(2);
    }

    @Test
    void appliedForgetsRecordsUpToTheZxidAndKeepsLaterOnes() {
        pending.add(inTree("/").withChildAdded(5));
        pending.add(NodeRecord.created("/a", 5, 0, Acl.OPEN_ACL_UNSAFE, null));
        NodeRecord rootAfter6 = pending.lookup("/").withChildAdded(6);
        pending.add(rootAfter6);
        NodeRecord b = NodeRecord.created("/b", 6, 0, Acl.OPEN_ACL_UNSAFE, null);
        pending.add(b);

        // txn 5 reaches the tree
        tree.create("/a", null, Acl.OPEN_ACL_UNSAFE, 0, 1, 5, 0);
        pending.applied(5);

        assertThat(pending.lookup("/a")).isEqualTo(NodeRecord.of("/a", tree.get("/a")));
        assertThat(pending.lookup("/")).as("a later record of the same path stays").isSameAs(rootAfter6);
        assertThat(pending.lookup("/b")).isSameAs(b);
        assertThat(pending.isEmpty()).isFalse();

        tree.create("/b", null, Acl.OPEN_ACL_UNSAFE, 0, 2, 6, 0);
        pending.applied(6);
        assertThat(pending.isEmpty()).isTrue();
        assertThat(pending.lookup("/").childCreations()).isEqualTo(2);
        assertThat(pending.lookup("/").numChildren()).isEqualTo(3);
    }

    @Test
    void pendingOfOwnerListsASessionsPendingEphemerals() {
        pending.add(NodeRecord.created("/e1", 5, SESSION, Acl.OPEN_ACL_UNSAFE, null));
        pending.add(NodeRecord.created("/e2", 6, SESSION, Acl.OPEN_ACL_UNSAFE, null).deleted(7));
        pending.add(NodeRecord.created("/x", 6, SESSION + 1, Acl.OPEN_ACL_UNSAFE, null));
        pending.add(NodeRecord.created("/p", 6, 0, Acl.OPEN_ACL_UNSAFE, null));
        assertThat(pending.pendingOfOwner(SESSION)).extracting(NodeRecord::path, NodeRecord::exists)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("/e1", true),
                        org.assertj.core.groups.Tuple.tuple("/e2", false));
    }
}
