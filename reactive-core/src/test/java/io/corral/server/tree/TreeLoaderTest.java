package io.corral.server.tree;

import io.corral.protocol.Acl;
import io.corral.server.tools.TreeWalk;
import io.corral.server.txn.EphemeralOwner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** A tree filled by a {@link TreeLoader} is the tree its nodes came from, whatever order siblings come in. */
class TreeLoaderTest {
    private long zxid = 1;

    @Test
    void aSnapshotsNodesMakeTheSameTree() {
        DataTree source = sourceTree(new Random(7));
        List<Entry> entries = new ArrayList<>();
        TreeWalk.forEach(source, (path, n) -> entries.add(new Entry(path, n)));
        DataTree loaded = load(entries);
        assertSameTree(loaded, source);
    }

    @Test
    void siblingsInAnyOrderMakeTheSameTree() {
        DataTree source = sourceTree(new Random(11));
        List<Entry> entries = new ArrayList<>();
        TreeWalk.forEach(source, (path, n) -> entries.add(new Entry(path, n)));
        Random random = new Random(3);
        // shuffle each run of consecutive siblings (a parent's children are listed in its table's order)
        int start = 0;
        for (int i = 1; i <= entries.size(); i++) {
            if (i == entries.size() || !parentOf(entries.get(i).path).equals(parentOf(entries.get(start).path))) {
                Collections.shuffle(entries.subList(start, i), random);
                start = i;
            }
        }
        assertSameTree(load(entries), source);
    }

    @Test
    void aPathListedTwiceKeepsTheLaterNodeAndItsChildren() {
        DataTree source = sourceTree(new Random(5));
        List<Entry> entries = new ArrayList<>();
        TreeWalk.forEach(source, (path, n) -> entries.add(new Entry(path, n)));
        // a fuzzy snapshot may list a node twice: the earlier copy differs, the later one is the node
        List<Entry> twice = new ArrayList<>();
        for (Entry e : entries) {
            if (e.path.startsWith("/flat/") && e.path.hashCode() % 7 == 0) {
                twice.add(new Entry(e.path, bytes("stale"), e.acl, e.czxid, e.mzxid - 1, e.ctime, e.mtime,
                        e.pzxid, e.version - 1, e.cversion, e.aversion, e.ephemeralOwner));
            }
            twice.add(e);
        }
        assertThat(twice.size()).isGreaterThan(entries.size() + 100);
        assertSameTree(load(twice), source);

        // the same path twice in a row with children after it: the children go under the later node
        DataTree tree = new DataTree();
        TreeLoader loader = tree.loader();
        restore(loader, new Entry("/a", bytes("first"), 10, 0));
        restore(loader, new Entry("/a", bytes("second"), 11, 0));
        restore(loader, new Entry("/a/b", bytes("child"), 12, 0));
        loader.finish();
        assertThat(tree.get("/a").data()).isEqualTo(bytes("second"));
        assertThat(tree.get("/a").children()).containsExactly("b");
        assertThat(tree.nodeCount()).isEqualTo(new DataTree().nodeCount() + 2);
    }

    @Test
    void siblingsAfterASubtreeJoinABigTable() {
        // 2,000 siblings, a subtree, then 100 more siblings of the first ones: the last go into a table already
        // twenty times their number (sorted by slot without a table-sized array), some under a name already taken
        DataTree source = new DataTree();
        create(source, "/big", 0);
        for (int i = 0; i < 2_000; i++) {
            create(source, String.format("/big/a%04d-with-a-long-name", i), 0);
        }
        create(source, "/big/b", 0);
        create(source, "/big/b/x", 0);
        for (int i = 0; i < 100; i++) {
            create(source, String.format("/big/c%04d", i), 0);
        }
        List<Entry> entries = new ArrayList<>();
        TreeWalk.forEach(source, (path, n) -> entries.add(new Entry(path, n)));
        int firstC = 0;
        while (!entries.get(firstC).path.startsWith("/big/c")) {
            firstC++;
        }
        List<Entry> withRepeats = new ArrayList<>(entries.subList(0, firstC + 100));
        for (Entry e : entries) {
            if (e.path.startsWith("/big/a00")) { // listed again after the subtree: replaces the first copy
                withRepeats.add(e);
            }
        }
        Collections.shuffle(withRepeats.subList(firstC, withRepeats.size()), new Random(1));
        withRepeats.addAll(entries.subList(firstC + 100, entries.size())); // /zookeeper and below
        assertThat(withRepeats.size()).isEqualTo(entries.size() + 100);
        assertSameTree(load(withRepeats), source);
    }

    @Test
    void restoringOneNodeAtATimeIsTheSame() {
        DataTree source = sourceTree(new Random(9));
        DataTree oneByOne = new DataTree();
        TreeWalk.forEach(source, (path, n) -> oneByOne.restore(path, n.data(), n.acl(), n.czxid(), n.mzxid(),
                n.ctime(), n.mtime(), n.pzxid(), n.version(), n.childCreations(), n.aversion(), n.ephemeralOwner()));
        assertSameTree(oneByOne, source);
    }

    /**
     * A tree with a parent of thousands of children (short names kept in the key, long and non-ASCII ones packed,
     * some deleted again), nested subtrees between siblings, ephemerals, a container and a TTL node.
     */
    private DataTree sourceTree(Random random) {
        DataTree tree = new DataTree();
        create(tree, "/flat", 0);
        List<String> flat = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            String name = switch (i % 4) {
                case 0 -> "n" + i;
                case 1 -> "a-longer-child-name-" + i;
                case 2 -> "ünïcödé-" + i;
                default -> Integer.toString(random.nextInt(1_000_000)) + "-" + i;
            };
            flat.add("/flat/" + name);
            create(tree, "/flat/" + name, i % 50 == 0 ? 0x1234L : 0);
        }
        for (int i = 0; i < flat.size(); i += 5) {
            tree.delete(flat.get(i), ++zxid);
        }
        for (int i = 1; i < flat.size(); i += 97) {
            if (i % 5 == 0) {
                continue; // deleted above
            }
            create(tree, flat.get(i) + "/sub", 0);
            create(tree, flat.get(i) + "/sub/leaf", 0);
        }
        create(tree, "/c", EphemeralOwner.CONTAINER);
        create(tree, "/c/x", 0);
        create(tree, "/t", EphemeralOwner.ttl(60_000));
        tree.setData("/zookeeper", bytes("system"), 1, ++zxid, zxid);
        return tree;
    }

    private void create(DataTree tree, String path, long owner) {
        DataNode parent = tree.get(parentOf(path));
        tree.create(path, bytes(path), Acl.OPEN_ACL_UNSAFE, owner, parent.childCreations() + 1, ++zxid, 1_000 * zxid);
    }

    private static DataTree load(List<Entry> entries) {
        DataTree tree = new DataTree();
        TreeLoader loader = tree.loader();
        for (Entry e : entries) {
            restore(loader, e);
        }
        loader.finish();
        tree.restored();
        return tree;
    }

    private static void restore(TreeLoader loader, Entry e) {
        loader.restore(e.path, e.data, e.acl, e.czxid, e.mzxid, e.ctime, e.mtime, e.pzxid, e.version, e.cversion,
                e.aversion, e.ephemeralOwner, -1);
    }

    private static void assertSameTree(DataTree actual, DataTree expected) {
        assertThat(actual.nodeCount()).isEqualTo(expected.nodeCount());
        assertThat(actual.digest()).isEqualTo(expected.digest());
        List<String> expectedNodes = new ArrayList<>();
        TreeWalk.forEach(expected, (path, n) -> expectedNodes.add(describe(path, n)));
        List<String> actualNodes = new ArrayList<>();
        TreeWalk.forEach(actual, (path, n) -> actualNodes.add(describe(path, n)));
        assertThat(actualNodes).isEqualTo(expectedNodes);
        TreeWalk.forEach(expected, (path, n) ->
                assertThat(actual.get(path).ephemeralOwner()).as(path).isEqualTo(n.ephemeralOwner()));
        assertThat(actual.containers()).isEqualTo(expected.containers());
        assertThat(actual.ttlNodes()).isEqualTo(expected.ttlNodes());
        assertThat(actual.ephemeralsBySession()).isEqualTo(expected.ephemeralsBySession());
        TreeWalk.forEach(expected, (parent, n) -> { // every child is found by name, as a request finds it
            for (String child : n.children()) {
                String path = parent.equals("/") ? "/" + child : parent + "/" + child;
                assertThat(actual.get(path)).as(path).isNotNull();
            }
        });
    }

    private static String describe(String path, DataNode n) {
        return path + " " + n.stat() + " " + new String(n.data(), StandardCharsets.UTF_8) + " "
                + new TreeSet<>(n.children());
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private record Entry(String path, byte[] data, List<Acl> acl, long czxid, long mzxid, long ctime, long mtime,
                         long pzxid, int version, int cversion, int aversion, long ephemeralOwner) {
        Entry(String path, DataNode n) {
            this(path, n.data(), n.acl(), n.czxid(), n.mzxid(), n.ctime(), n.mtime(), n.pzxid(), n.version(),
                    n.childCreations(), n.aversion(), n.ephemeralOwner());
        }

        Entry(String path, byte[] data, long zxid, long owner) {
            this(path, data, Acl.OPEN_ACL_UNSAFE, zxid, zxid, zxid, zxid, zxid, 0, 0, 0, owner);
        }
    }
}
