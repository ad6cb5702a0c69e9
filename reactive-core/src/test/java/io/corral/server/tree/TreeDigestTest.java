package io.corral.server.tree;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.protocol.Acl;
import io.corral.protocol.Id;
import io.corral.server.tools.TreeWalk;
import io.corral.server.txn.EphemeralOwner;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The digest a tree keeps up to date as it changes equals ZooKeeper's digest computed afresh over every node, after
 * each of a seeded run of creates (of every node type), deletes, setData, setACL and replayed creates; a restored
 * tree and a tree that takes another's over have it too; and the digest log has ZooKeeper's interval and limit.
 */
class TreeDigestTest {
    private static final List<Acl> READ_ONLY = List.of(new Acl(1, Id.ANYONE));

    @Test
    void theKeptDigestEqualsTheDigestRecomputedAfterEveryChange() {
        DataTree tree = new DataTree();
        assertThat(tree.digest()).isEqualTo(recomputed(tree)).isNotZero();
        Random random = new Random(14);
        List<String> paths = new ArrayList<>(List.of("/"));
        long zxid = 0;
        for (int step = 0; step < 3_000; step++) {
            zxid++;
            String parent = paths.get(random.nextInt(paths.size()));
            int op = random.nextInt(10);
            if (op < 5 || paths.size() < 3) {
                String path = (parent.equals("/") ? "" : parent) + "/n" + step;
                DataNode parentNode = tree.get(parent);
                long owner = switch (random.nextInt(4)) {
                    case 0 -> 0x1000 + random.nextInt(3);
                    case 1 -> EphemeralOwner.CONTAINER;
                    case 2 -> EphemeralOwner.ttl(60_000);
                    default -> 0;
                };
                byte[] data = random.nextInt(5) == 0 ? null : ("d" + step).getBytes();
                tree.create(path, data, Acl.OPEN_ACL_UNSAFE, owner, parentNode.childCreations() + 1, zxid, step);
                if (!EphemeralOwner.isSession(owner)) {
                    paths.add(path); // an ephemeral has no children, and goes with its session (not here)
                }
            } else if (op < 7) {
                String path = paths.get(1 + random.nextInt(paths.size() - 1));
                tree.setData(path, ("v" + step).getBytes(), tree.get(path).version() + 1, zxid, step);
            } else if (op < 8) {
                String path = paths.get(random.nextInt(paths.size()));
                tree.setAcl(path, READ_ONLY, tree.get(path).aversion() + 1);
            } else if (op < 9) {
                String leaf = leafOf(tree, paths, random);
                if (leaf != null) {
                    tree.delete(leaf, zxid);
                    paths.remove(leaf);
                }
            } else {
                String path = paths.get(random.nextInt(paths.size()));
                tree.touchParent(path + "/replayed", tree.get(path).childCreations() + 2, zxid);
            }
            tree.applied(zxid);
            assertThat(tree.digest()).as("step %d", step).isEqualTo(recomputed(tree));
        }
        tree.create("/zookeeper/quota/app", new byte[] {1}, Acl.OPEN_ACL_UNSAFE, 0, 1, ++zxid, 0);
        assertThat(tree.digest()).as("the nodes under /zookeeper/ do not count").isEqualTo(recomputed(tree));

        DataTree restored = new DataTree();
        TreeWalk.forEach(tree, (path, n) -> restored.restore(path, n.data(), n.acl(), n.czxid(), n.mzxid(),
                n.ctime(), n.mtime(), n.pzxid(), n.version(), n.childCreations(), n.aversion(), n.ephemeralOwner()));
        assertThat(restored.digest()).as("restored node by node").isEqualTo(tree.digest());
        DataTree taker = new DataTree();
        taker.replaceWith(restored);
        assertThat(taker.digest()).as("taken over").isEqualTo(tree.digest());
        taker.clear();
        assertThat(taker.digest()).isEqualTo(new DataTree().digest()).isEqualTo(recomputed(taker));
    }

    @Test
    void theLogKeepsEvery128thZxidTheNewest1024() {
        DataTree tree = new DataTree();
        for (long zxid = 1; zxid <= 1_100L * 128; zxid++) {
            tree.setData("/", new byte[] {(byte) zxid}, (int) zxid, zxid, zxid);
            tree.applied(zxid);
            if (zxid == 128) {
                assertThat(tree.digestLog()).containsExactly(new DigestLog.Entry(128, recomputed(tree)));
            }
        }
        List<DigestLog.Entry> log = tree.digestLog();
        assertThat(log).hasSize(1024);
        assertThat(log.get(log.size() - 1)).isEqualTo(new DigestLog.Entry(1_100L * 128, tree.digest()));
        assertThat(log.get(0).zxid()).isEqualTo(77L * 128);
    }

    /** A tree restored from a (fuzzy) snapshot logs no digest until the log after it has been replayed. */
    @Test
    void aRestoredTreeLogsFromTheEndOfItsLogOn() {
        DataTree tree = new DataTree();
        tree.restored();
        tree.digestSettlesAt(256);
        tree.applied(128);
        assertThat(tree.digestLog()).isEmpty();
        tree.applied(256);
        assertThat(tree.digestLog()).extracting(DigestLog.Entry::zxid).containsExactly(256L);
    }

    @Test
    void aDisabledDigestIsNeitherKeptNorLogged() {
        DataTree tree = new DataTree();
        tree.disableDigest();
        tree.create("/a", new byte[] {1}, Acl.OPEN_ACL_UNSAFE, 0, 1, 128, 0);
        tree.applied(128);
        assertThat(tree.digest()).isZero();
        assertThat(tree.digestLog()).isEmpty();
    }

    private static String leafOf(DataTree tree, List<String> paths, Random random) {
        for (int tries = 0; tries < 20; tries++) {
            String path = paths.get(1 + random.nextInt(paths.size() - 1));
            if (tree.get(path).numChildren() == 0) {
                return path;
            }
        }
        return null;
    }

    /** ZooKeeper's digest over every node, as the importer computes it. */
    static long recomputed(DataTree tree) {
        TreeDigest digest = new TreeDigest();
        TreeWalk.forEach(tree, (path, n) -> digest.add(path, n.data(), n.czxid(), n.mzxid(), n.pzxid(), n.ctime(),
                n.mtime(), n.version(), n.childCreations(), n.aversion(), n.ephemeralOwner()));
        return digest.value();
    }
}
