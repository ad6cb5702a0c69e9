package io.corral.server.tree;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.protocol.Acl;
import io.corral.protocol.JuteInput;
import io.corral.protocol.JuteOutput;
import io.corral.protocol.Stat;
import io.corral.server.session.SessionTracker;
import io.corral.server.snapshot.TreeSnapshot;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The compact tree's own machinery: path walking, the per-parent child tables (growth, shrinking, deletion without
 * tombstones, names rewritten once deleted ones pile up, names outside Latin-1), checked against a plain map of
 * full paths as the old tree kept them, and a snapshot round trip.
 */
class DataTreeLayoutTest {
    private static final long SESSION = 0x0100_0012_BD73_0001L;

    private final DataTree tree = new DataTree();
    /** The model: every path the tree should hold (system nodes included), with its data. */
    private final Map<String, byte[]> model = new HashMap<>();
    private long zxid = 1;

    DataTreeLayoutTest() {
        for (String path : List.of("/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config")) {
            model.put(path, new byte[0]);
        }
    }

    private void create(String path, long owner) {
        byte[] data = path.getBytes(StandardCharsets.UTF_8);
        DataNode parent = tree.get(PathValidator.parent(path));
        tree.create(path, data, Acl.OPEN_ACL_UNSAFE, owner, parent.childCreations() + 1, ++zxid, zxid);
        model.put(path, data);
    }

    private void create(String path) {
        create(path, 0);
    }

    private void delete(String path) {
        tree.delete(path, ++zxid);
        model.remove(path);
    }

    /** Every model path is found with its data and exactly the children the model says; nothing else is. */
    private void assertMatchesModel() {
        assertThat(tree.nodeCount()).isEqualTo(model.size());
        Map<String, Set<String>> children = new HashMap<>();
        for (String path : model.keySet()) {
            children.computeIfAbsent(path, p -> new HashSet<>());
            if (!path.equals("/")) {
                children.computeIfAbsent(PathValidator.parent(path), p -> new HashSet<>()).add(
                        PathValidator.name(path));
            }
        }
        long dataSize = 0;
        for (Map.Entry<String, byte[]> e : model.entrySet()) {
            DataNode node = tree.get(e.getKey());
            assertThat(node).as(e.getKey()).isNotNull();
            assertThat(node.data()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(node.children()).as(e.getKey()).containsExactlyInAnyOrderElementsOf(
                    children.get(e.getKey()));
            assertThat(node.numChildren()).isEqualTo(children.get(e.getKey()).size());
            dataSize += e.getKey().length() + e.getValue().length;
        }
        assertThat(tree.approximateDataSize()).isEqualTo(dataSize);
        assertThat(tree.descendantCount("/")).isEqualTo(model.size() - 1);
    }

    @Test
    void pathsThatAreNoZnodePathsFindNothing() {
        create("/a");
        create("/a/b");
        assertThat(tree.get("/")).isNotNull();
        assertThat(tree.get("/a/b")).isNotNull();
        for (String path : new String[] {null, "", "a", "a/b", "/a/", "//a", "/a//b", "/a/b/", "/a/b/c", "/b",
                "/a/bb", "/a/", "/aa", "/zookeeper/"}) {
            assertThat(tree.get(path)).as(String.valueOf(path)).isNull();
        }
        assertThat(tree.descendantCount("/a/")).isZero();
    }

    @Test
    void aParentOfManyChildrenGrowsShrinksAndKeepsEveryName() {
        create("/p");
        SplittableRandom random = new SplittableRandom(7);
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            // short and long names (a header of two bytes past 31 chars), Latin-1 and beyond
            String name = switch (i % 4) {
                case 0 -> "n" + i;
                case 1 -> "member_" + "0".repeat(40) + i;
                case 2 -> "grüße-" + i;
                default -> "名前-" + i + "-ノード";
            };
            paths.add("/p/" + name);
            create("/p/" + name);
        }
        assertMatchesModel();
        // delete in a random order, checking the survivors part-way: backward-shift deletion and name rewrites
        for (int i = paths.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String swap = paths.get(i);
            paths.set(i, paths.get(j));
            paths.set(j, swap);
        }
        for (int i = 0; i < paths.size(); i++) {
            delete(paths.get(i));
            if (i % 1_000 == 999) {
                assertMatchesModel();
            }
        }
        assertThat(tree.get("/p").numChildren()).isZero();
        assertThat(tree.get("/p").children()).isEmpty();
        assertMatchesModel();
        create("/p/again");
        assertMatchesModel();
    }

    @Test
    void churnUnderAParentKeepsTheLongLivedChildren() {
        create("/q");
        for (int i = 0; i < 50; i++) {
            create("/q/keep" + i); // short names: the key is the name
            create("/q/keep-for-long-" + i); // long ones: packed with the names that come and go
        }
        for (int round = 0; round < 20_000; round++) {
            create("/q/temporary-" + round);
            create("/q/t" + round);
            if (round >= 10) {
                delete("/q/temporary-" + (round - 10));
                delete("/q/t" + (round - 10));
            }
        }
        assertMatchesModel();
        assertThat(tree.get("/q").numChildren()).isEqualTo(120);
    }

    @Test
    void randomOperationsAgreeWithAMapOfPaths() {
        SplittableRandom random = new SplittableRandom(42);
        String[] names = {"a", "b", "c", "d", "e", "é", "ж", "lock-0000000001", "x".repeat(33), "seven77", "eight888"};
        for (int step = 0; step < 20_000; step++) {
            StringBuilder path = new StringBuilder();
            int depth = 1 + random.nextInt(4);
            for (int d = 0; d < depth; d++) {
                path.append('/').append(names[random.nextInt(names.length)]);
            }
            String p = path.toString();
            String parent = PathValidator.parent(p);
            boolean exists = model.containsKey(p);
            if (!exists && model.containsKey(parent)) {
                create(p, random.nextInt(8) == 0 ? SESSION : 0);
            } else if (exists && !DataTree.isReserved(p) && tree.get(p).numChildren() == 0) {
                delete(p);
            } else if (exists) {
                byte[] data = new byte[random.nextInt(4)];
                tree.setData(p, data, tree.get(p).version() + 1, ++zxid, zxid);
                model.put(p, data);
            }
            assertThat(tree.get(p) != null).isEqualTo(model.containsKey(p));
        }
        assertMatchesModel();
    }

    @Test
    void aChildListGoesOnTheWireAsAPlainListWould() {
        create("/w");
        for (String name : List.of("a", "zü", "名前", "x".repeat(70), "€-sign", "n0")) {
            create("/w/" + name);
        }
        delete("/w/n0");
        List<String> children = tree.get("/w").children();
        List<String> plain = new ArrayList<>(children);
        assertThat(plain).containsExactlyInAnyOrder("a", "zü", "名前", "x".repeat(70), "€-sign");
        assertThat(children).isEqualTo(plain);
        assertThat(children.get(3)).isEqualTo(plain.get(3));

        ByteBuf fast = Unpooled.buffer();
        new JuteOutput(fast).writeStringList(children);
        ByteBuf slow = Unpooled.buffer();
        new JuteOutput(slow).writeStringList(plain);
        assertThat(ByteBufUtil.getBytes(fast)).isEqualTo(ByteBufUtil.getBytes(slow));
        assertThat(new JuteInput(fast, 1 << 20).readStringList()).isEqualTo(plain);
        assertThat(tree.get("/w/a").children()).isEmpty();
    }

    @Test
    void parentStatOfANodeThatLostItsChildren() {
        create("/p");
        long created = zxid;
        assertThat(tree.get("/p").stat().pzxid()).isEqualTo(created);
        create("/p/a");
        create("/p/b");
        delete("/p/a");
        delete("/p/b");
        Stat p = tree.get("/p").stat();
        assertThat(p.pzxid()).isEqualTo(zxid);
        assertThat(p.cversion()).isEqualTo(4);
        assertThat(p.numChildren()).isZero();
        assertThat(tree.get("/p").childCreations()).isEqualTo(2);
    }

    @Test
    void aSnapshotRoundTripKeepsEveryNodeAndStat() throws IOException {
        create("/a");
        create("/a/b");
        create("/a/b/c");
        create("/a/e", SESSION);
        create("/名");
        create("/名/ü");
        create("/gone");
        create("/gone/child");
        delete("/gone/child");
        tree.setData("/a/b", new byte[] {1, 2}, 1, ++zxid, 99);
        model.put("/a/b", new byte[] {1, 2});
        tree.setAcl("/a", Acl.READ_ACL_UNSAFE, 1);
        for (int i = 0; i < 300; i++) {
            create("/a/b/c/n" + i);
        }

        java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
        TreeSnapshot.write(tree, new SessionTracker(2000, 1, 0), written);
        byte[] bytes = written.toByteArray();
        DataTree restored = new DataTree();
        TreeSnapshot.read(new DataInputStream(new ByteArrayInputStream(bytes)), restored);

        assertThat(restored.nodeCount()).isEqualTo(tree.nodeCount());
        for (String path : model.keySet()) {
            DataNode original = tree.get(path);
            DataNode copy = restored.get(path);
            assertThat(copy).as(path).isNotNull();
            assertThat(copy.stat()).as(path).isEqualTo(original.stat());
            assertThat(copy.data()).as(path).isEqualTo(original.data());
            assertThat(copy.acl()).as(path).isEqualTo(original.acl());
            assertThat(copy.ephemeralOwner()).as(path).isEqualTo(original.ephemeralOwner());
            assertThat(copy.children()).as(path).containsExactlyInAnyOrderElementsOf(original.children());
        }
        assertThat(restored.ephemeralsOf(SESSION)).containsExactly("/a/e");
        assertThat(restored.get("/gone").stat().pzxid()).isEqualTo(tree.get("/gone").stat().pzxid());
    }

    @Test
    void twoTablesOfTheSameNamesKeepThemInDifferentOrders() {
        // each table scrambles its slots with a seed of its own: were the orders alike, filling one table in the
        // other's order (a snapshot's load) would pile every name into one run of taken slots, each insertion
        // probing to its end
        DataTree other = new DataTree();
        create("/p");
        other.create("/p", new byte[0], Acl.OPEN_ACL_UNSAFE, 0, 1, 1, 1);
        for (int i = 0; i < 1000; i++) {
            create("/p/n" + i);
            other.create("/p/n" + i, new byte[0], Acl.OPEN_ACL_UNSAFE, 0, i + 1, i + 2, 1);
        }
        assertThat(other.get("/p").children()).containsExactlyInAnyOrderElementsOf(tree.get("/p").children())
                .isNotEqualTo(tree.get("/p").children());
    }
}
