package io.corral.server.tree;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.protocol.Acl;
import io.corral.protocol.Id;
import io.corral.protocol.Perms;
import io.corral.protocol.Stat;
import io.corral.server.txn.EphemeralOwner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataTreeTest {
    private static final long SESSION = 0x0100_0012_BD73_0001L;
    private static final long OTHER_SESSION = 0x0100_0012_BD73_0002L;

    private final DataTree tree = new DataTree();
    private long zxid = 1;

    /** Creates a node the way the committer does: the parent's counter + 1 as the new parent cversion. */
    private DataNode create(String path, long owner) {
        DataNode parent = tree.get(PathValidator.parent(path));
        return tree.create(path, "d".getBytes(StandardCharsets.UTF_8), Acl.OPEN_ACL_UNSAFE, owner,
                parent.childCreations() + 1, ++zxid, 1_000 * zxid);
    }

    private DataNode create(String path) {
        return create(path, 0);
    }

    private DataNode delete(String path) {
        return tree.delete(path, ++zxid);
    }

    // --- the initial tree ----------------------------------------------------------------------------------------

    @Test
    void initialTreeMatchesAFreshZooKeeper() {
        assertThat(tree.nodeCount()).isEqualTo(4);
        assertThat(tree.lastAppliedZxid()).isZero();

        Stat root = tree.get("/").stat();
        assertThat(root).isEqualTo(new Stat(0, 0, 0, 0, 0, -1, 0, 0, 0, 1, 0));
        assertThat(tree.get("/").children()).containsExactly("zookeeper");
        assertThat(tree.get("/").acl()).isEqualTo(Acl.OPEN_ACL_UNSAFE);
        assertThat(tree.get("/").data()).isEmpty();

        Stat zookeeper = tree.get("/zookeeper").stat();
        assertThat(zookeeper.cversion()).isEqualTo(-2);
        assertThat(zookeeper.numChildren()).isEqualTo(2);
        assertThat(tree.get("/zookeeper").children()).containsExactlyInAnyOrder("quota", "config");
        assertThat(tree.get("/zookeeper").acl()).isEqualTo(Acl.OPEN_ACL_UNSAFE);

        DataNode config = tree.get("/zookeeper/config");
        assertThat(config.stat().aversion()).isEqualTo(-1);
        assertThat(config.stat().version()).isZero();
        assertThat(config.acl()).isEqualTo(Acl.READ_ACL_UNSAFE);
        assertThat(config.stat().dataLength()).isZero();

        assertThat(tree.get("/zookeeper/quota").acl()).isEqualTo(Acl.OPEN_ACL_UNSAFE);
        assertThat(tree.get("/zookeeper/quota").stat().cversion()).isZero();
        assertThat(tree.ephemeralCount()).isZero();
        assertThat(tree.containers()).isEmpty();
        assertThat(tree.ttlNodes()).isEmpty();
    }

    @Test
    void reservedPaths() {
        assertThat(List.of("/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"))
                .allMatch(DataTree::isReserved);
        assertThat(List.of("/zookeeper/other", "/zoo", "/zookeeper/config/x")).noneMatch(DataTree::isReserved);
    }

    // --- stat maintenance ----------------------------------------------------------------------------------------

    @Test
    void createSetsTheNewNodesStatAndTheParentsPzxidAndCversion() {
        DataNode a = create("/a");
        long created = zxid;
        Stat stat = a.stat();
        assertThat(stat).isEqualTo(new Stat(created, created, 1_000 * created, 1_000 * created, 0, 0, 0, 0, 1, 0,
                created));
        Stat root = tree.get("/").stat();
        assertThat(root.pzxid()).isEqualTo(created);
        assertThat(root.numChildren()).isEqualTo(2);
        // internal counter 0 -> 1: 2 * 1 - 2 children = 0
        assertThat(root.cversion()).isZero();
        assertThat(tree.get("/").childCreations()).isEqualTo(1);
    }

    @Test
    void cversionIsTwiceTheChildCreationsMinusTheChildren() {
        create("/p");
        create("/p/a");
        create("/p/b");
        create("/p/c");
        create("/p/d");
        delete("/p/b");
        DataNode p = tree.get("/p");
        assertThat(p.childCreations()).isEqualTo(4);
        assertThat(p.stat().numChildren()).isEqualTo(3);
        assertThat(p.stat().cversion()).as("four creates, one delete").isEqualTo(5);
        assertThat(p.stat().pzxid()).isEqualTo(zxid);

        create("/q");
        create("/q/x");
        delete("/q/x");
        assertThat(tree.get("/q").stat().cversion()).as("create + delete of one child").isEqualTo(2);
        assertThat(tree.get("/q").childCreations()).as("deletes do not lower the counter").isEqualTo(1);
    }

    @Test
    void deleteUpdatesTheParentsPzxidAndChildrenButNotItsMzxid() {
        create("/p");
        create("/p/c");
        long beforeDelete = tree.get("/p").mzxid();
        DataNode removed = delete("/p/c");
        assertThat(removed.data()).isEqualTo("d".getBytes(StandardCharsets.UTF_8));
        assertThat(tree.get("/p/c")).isNull();
        Stat p = tree.get("/p").stat();
        assertThat(p.pzxid()).isEqualTo(zxid);
        assertThat(p.numChildren()).isZero();
        assertThat(p.mzxid()).isEqualTo(beforeDelete);
        assertThat(tree.get("/p").children()).isEmpty();
    }

    @Test
    void replayedCreateWithAnOlderParentCversionLeavesTheParentAlone() {
        create("/p");
        create("/p/a");
        create("/p/b");
        long pzxid = tree.get("/p").pzxid();
        tree.create("/p/old", null, Acl.OPEN_ACL_UNSAFE, 0, 1, ++zxid, 0);
        assertThat(tree.get("/p").childCreations()).isEqualTo(2);
        assertThat(tree.get("/p").pzxid()).isEqualTo(pzxid);
        assertThat(tree.get("/p").numChildren()).isEqualTo(3);
        // and a delete with an older zxid does not move pzxid back
        tree.delete("/p/a", 1);
        assertThat(tree.get("/p").pzxid()).isEqualTo(pzxid);
    }

    @Test
    void setDataAndSetAclTouchOnlyTheirOwnFields() {
        create("/n");
        long created = zxid;
        DataNode n = tree.setData("/n", null, 1, ++zxid, 77_000);
        Stat s = n.stat();
        assertThat(s.version()).isEqualTo(1);
        assertThat(s.mzxid()).isEqualTo(zxid);
        assertThat(s.mtime()).isEqualTo(77_000);
        assertThat(s.czxid()).isEqualTo(created);
        assertThat(s.pzxid()).isEqualTo(created);
        assertThat(s.dataLength()).as("null data").isZero();
        assertThat(n.data()).isNull();

        List<Acl> acl = List.of(new Acl(Perms.READ, Id.ANYONE));
        n = tree.setAcl("/n", acl, 1);
        assertThat(n.stat().aversion()).isEqualTo(1);
        assertThat(n.stat().mzxid()).isEqualTo(zxid);
        assertThat(n.acl()).isEqualTo(acl);

        tree.setData("/n", new byte[0], 2, ++zxid, 78_000);
        assertThat(tree.get("/n").data()).isEmpty();
        assertThat(tree.get("/n").stat().dataLength()).isZero();
    }

    @Test
    void aclListsAreCopiedAndShared() {
        List<Acl> mutable = new ArrayList<>(List.of(new Acl(Perms.ALL, new Id("digest", "u:h"))));
        DataNode a = tree.create("/a", null, mutable, 0, 1, ++zxid, 0);
        mutable.add(new Acl(Perms.READ, Id.ANYONE));
        assertThat(a.acl()).hasSize(1);
        DataNode b = tree.create("/b", null, List.of(new Acl(Perms.ALL, new Id("digest", "u:h"))), 0, 2, ++zxid, 0);
        assertThat(b.acl()).isSameAs(a.acl());
    }

    // --- ephemerals, containers, TTL nodes -------------------------------------------------------------------------

    @Test
    void ephemeralsAreIndexedPerSession() {
        create("/app");
        create("/app/e2", SESSION);
        create("/app/e1", SESSION);
        create("/app/x", OTHER_SESSION);
        create("/app/p");

        assertThat(tree.ephemeralsOf(SESSION)).containsExactly("/app/e1", "/app/e2");
        assertThat(tree.ephemeralsOf(OTHER_SESSION)).containsExactly("/app/x");
        assertThat(tree.ephemeralsOf(42)).isEmpty();
        assertThat(tree.ephemeralCount()).isEqualTo(3);
        assertThat(tree.get("/app/e1").stat().ephemeralOwner()).isEqualTo(SESSION);
        assertThat(tree.get("/app/p").stat().ephemeralOwner()).isZero();

        delete("/app/e1");
        delete("/app/x");
        assertThat(tree.ephemeralsOf(SESSION)).containsExactly("/app/e2");
        assertThat(tree.ephemeralsBySession()).containsOnlyKeys(SESSION);
        assertThat(tree.ephemeralCount()).isOne();
    }

    @Test
    void containersAndTtlNodesAreIndexedAndShowNoOwner() {
        long ttlOwner = EphemeralOwner.ttl(5_000);
        create("/c", EphemeralOwner.CONTAINER);
        create("/t", ttlOwner);
        assertThat(tree.containers()).containsExactly("/c");
        assertThat(tree.ttlNodes()).containsExactly("/t");
        assertThat(tree.ephemeralCount()).isZero();
        assertThat(tree.get("/c").stat().ephemeralOwner()).isZero();
        assertThat(tree.get("/t").stat().ephemeralOwner()).isZero();
        assertThat(tree.get("/c").ephemeralOwner()).isEqualTo(EphemeralOwner.CONTAINER);
        assertThat(EphemeralOwner.ttlOf(tree.get("/t").ephemeralOwner())).isEqualTo(5_000);

        // containers and TTL nodes may have children
        create("/c/child");
        create("/t/child", SESSION);
        assertThat(tree.get("/c").numChildren()).isOne();

        delete("/c/child");
        delete("/t/child");
        delete("/c");
        delete("/t");
        assertThat(tree.containers()).isEmpty();
        assertThat(tree.ttlNodes()).isEmpty();
    }

    // --- descendants -----------------------------------------------------------------------------------------------

    @Test
    void descendantCountCountsEveryLevel() {
        create("/a");
        create("/a/b");
        create("/a/b/c");
        create("/a/b/d");
        create("/a/e");
        create("/f");
        assertThat(tree.descendantCount("/a")).isEqualTo(4);
        assertThat(tree.descendantCount("/a/b")).isEqualTo(2);
        assertThat(tree.descendantCount("/a/b/c")).isZero();
        assertThat(tree.descendantCount("/missing")).isZero();
        assertThat(tree.descendantCount("/zookeeper")).isEqualTo(2);
        // the root counts every node but itself, /zookeeper and its children included
        assertThat(tree.descendantCount("/")).isEqualTo(3 + 6).isEqualTo(tree.nodeCount() - 1);
    }

    @Test
    void lastAppliedZxidIsWhatTheCommitterSets() {
        tree.setLastAppliedZxid(0x1_0000_0005L);
        assertThat(tree.lastAppliedZxid()).isEqualTo(0x1_0000_0005L);
    }
}
