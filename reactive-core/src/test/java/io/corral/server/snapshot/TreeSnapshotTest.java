package io.corral.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.protocol.Acl;
import io.corral.protocol.Id;
import io.corral.protocol.Perms;
import io.corral.server.session.SessionTracker;
import io.corral.server.tree.DataNode;
import io.corral.server.tree.DataTree;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The snapshot's format 2 (frames checked and parsed on decoder threads, applied in order), and format 1 as older
 * builds wrote it, which must still load.
 */
class TreeSnapshotTest {
    private static final long SESSION = 0x100000001L;
    private static final List<Acl> DIGEST = List.of(new Acl(Perms.ALL, new Id("digest", "u:hash")),
            new Acl(Perms.READ, Id.ANYONE));

    private final DataTree tree = new DataTree();
    private long zxid;

    private void create(String path, byte[] data, List<Acl> acl, long owner) {
        tree.create(path, data, acl, owner, 1, ++zxid, 1000 + zxid);
    }

    /** A tree of several frames' worth of nodes, with null data, two ACL lists, an ephemeral and non-ASCII names. */
    private void fill() {
        create("/a", new byte[] {1}, Acl.OPEN_ACL_UNSAFE, 0);
        for (int i = 0; i < 250; i++) {
            create("/a/n" + i, i % 7 == 0 ? null : ("v" + i).getBytes(), i % 3 == 0 ? DIGEST : Acl.OPEN_ACL_UNSAFE,
                    0);
        }
        create("/名", new byte[0], DIGEST, 0);
        create("/名/ü€", new byte[] {9}, Acl.READ_ACL_UNSAFE, 0);
        create("/a/e", new byte[] {2}, Acl.OPEN_ACL_UNSAFE, SESSION);
        tree.setData("/a/n1", new byte[] {5, 6}, 1, ++zxid, 77);
        tree.setLastAppliedZxid(zxid);
    }

    private SessionTracker sessions() {
        SessionTracker sessions = new SessionTracker(2000, 1, 0);
        sessions.add(SESSION, new byte[] {1, 2, 3}, 30_000, 0);
        return sessions;
    }

    /** The snapshot as the snapshot taker writes it: slices of {@code perFrame} nodes. */
    private byte[] snapshot(int perFrame) {
        TreeSnapshot snapshot = new TreeSnapshot(tree, sessions(), zxid);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] slice;
        while ((slice = snapshot.nextChunk(perFrame)) != null) {
            out.writeBytes(slice);
        }
        return out.toByteArray();
    }

    private static TreeSnapshot.Restored read(byte[] bytes, DataTree into) throws IOException {
        return TreeSnapshot.read(new DataInputStream(new ByteArrayInputStream(bytes)), into);
    }

    private void assertSameTree(DataTree copy) {
        assertThat(copy.nodeCount()).isEqualTo(tree.nodeCount());
        assertThat(copy.digest()).as("digest (each node's computed by the decoders)").isEqualTo(tree.digest());
        List<String> paths = new java.util.ArrayList<>(List.of("/"));
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            DataNode original = tree.get(path);
            DataNode restored = copy.get(path);
            assertThat(restored).as(path).isNotNull();
            assertThat(restored.stat()).as(path).isEqualTo(original.stat());
            assertThat(restored.data()).as(path).isEqualTo(original.data());
            assertThat(restored.acl()).as(path).isEqualTo(original.acl());
            assertThat(restored.ephemeralOwner()).as(path).isEqualTo(original.ephemeralOwner());
            assertThat(restored.children()).as(path).containsExactlyInAnyOrderElementsOf(original.children());
            for (String child : original.children()) {
                paths.add((path.equals("/") ? "/" : path + "/") + child);
            }
        }
        assertThat(copy.ephemeralsOf(SESSION)).containsExactly("/a/e");
    }

    @Test
    void aSnapshotOfManyFramesLoadsEveryNodeStatAndSession() throws IOException {
        fill();
        DataTree copy = new DataTree();
        TreeSnapshot.Restored restored = read(snapshot(16), copy);

        assertSameTree(copy);
        assertThat(restored.startZxid()).isEqualTo(zxid);
        assertThat(restored.sessions()).hasSize(1);
        assertThat(restored.sessions().get(0).id()).isEqualTo(SESSION);
        assertThat(restored.sessions().get(0).password()).containsExactly(1, 2, 3);
        assertThat(restored.sessions().get(0).timeout()).isEqualTo(30_000);
    }

    /** Frame buffers are reused: a small frame read into a large frame's buffer must parse its own bytes only. */
    @Test
    void framesOfEverySizeLoadWhateverBufferTheyAreReadInto() throws IOException {
        fill();
        create("/mixed", null, Acl.OPEN_ACL_UNSAFE, 0);
        for (int i = 0; i < 400; i++) { // bands of 100 nodes: large values, then small, large, small
            byte[] value = new byte[(i / 100) % 2 == 0 ? 900 : 1];
            java.util.Arrays.fill(value, (byte) i);
            create("/mixed/n" + i, value, i % 5 == 0 ? DIGEST : Acl.OPEN_ACL_UNSAFE, 0);
        }
        tree.setLastAppliedZxid(zxid);
        DataTree copy = new DataTree();
        read(snapshot(16), copy);

        assertSameTree(copy);
    }

    /** Large frames were humongous objects for G1 (half a region, 512 KiB at least): frames stay far smaller. */
    @Test
    void framesAreCappedInBytesWhateverTheNodeCountAllows() throws IOException {
        create("/big", null, Acl.OPEN_ACL_UNSAFE, 0);
        byte[] value = new byte[1000];
        for (int i = 0; i < 2000; i++) { // about 2 MB of nodes: sixteen frames' worth or more
            create("/big/n" + i, value, Acl.OPEN_ACL_UNSAFE, 0);
        }
        tree.setLastAppliedZxid(zxid);
        TreeSnapshot snapshot = new TreeSnapshot(tree, sessions(), zxid);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int frames = 0;
        byte[] slice;
        while ((slice = snapshot.nextChunk(4096)) != null) {
            assertThat(slice.length).isLessThanOrEqualTo(NodeChunk.FRAME_HEADER + TreeSnapshot.FRAME_BYTES + 2000);
            all.writeBytes(slice);
            frames++;
        }

        assertThat(frames).isGreaterThanOrEqualTo(2 + 16); // the header, the frames, the end
        DataTree copy = new DataTree();
        read(all.toByteArray(), copy);
        assertThat(copy.nodeCount()).isEqualTo(tree.nodeCount());
        assertThat(copy.get("/big/n1999").data()).isEqualTo(value);
    }

    @Test
    void aDamagedFrameIsReportedByNumber() {
        fill();
        byte[] bytes = snapshot(16);
        int header = 4 + 8 + 4 + (8 + 4 + 4 + 3); // format, zxid, session count, the session
        bytes[header + NodeChunk.FRAME_HEADER + 10] ^= 0x40; // a byte of the first frame's nodes

        assertThatThrownBy(() -> read(bytes, new DataTree())).isInstanceOf(IOException.class)
                .hasMessageContaining("snapshot frame 0 ").hasMessageContaining("fails its CRC32C check");
    }

    @Test
    void aSnapshotWrittenByAnOlderBuildInFormat1StillLoads() throws IOException {
        fill();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(1);
        out.writeLong(zxid);
        out.writeInt(1);
        out.writeLong(SESSION);
        out.writeInt(30_000);
        TreeSnapshot.writeBytes(out, new byte[] {1, 2, 3});
        List<String> paths = new java.util.ArrayList<>(List.of("/"));
        for (int i = 0; i < paths.size(); i++) { // parents before children, as format 1 was written
            String path = paths.get(i);
            writeFormat1Node(out, path, tree.get(path));
            for (String child : tree.get(path).children()) {
                paths.add((path.equals("/") ? "/" : path + "/") + child);
            }
        }
        out.writeBoolean(false);

        DataTree copy = new DataTree();
        TreeSnapshot.Restored restored = read(bytes.toByteArray(), copy);

        assertSameTree(copy);
        assertThat(restored.startZxid()).isEqualTo(zxid);
        assertThat(restored.sessions().get(0).password()).containsExactly(1, 2, 3);
    }

    @Test
    void anUnknownFormatIsRejectedByName() {
        byte[] bytes = {0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> read(bytes, new DataTree())).isInstanceOf(IOException.class)
                .hasMessageContaining("unknown snapshot format 9");
    }

    private static void writeFormat1Node(DataOutputStream out, String path, DataNode node) throws IOException {
        out.writeBoolean(true);
        out.writeUTF(path);
        TreeSnapshot.writeBytes(out, node.data());
        out.writeInt(node.acl().size());
        for (Acl entry : node.acl()) {
            out.writeInt(entry.perms());
            out.writeUTF(entry.id().scheme());
            out.writeUTF(entry.id().id());
        }
        out.writeLong(node.czxid());
        out.writeLong(node.mzxid());
        out.writeLong(node.ctime());
        out.writeLong(node.mtime());
        out.writeLong(node.pzxid());
        out.writeInt(node.version());
        out.writeInt(node.childCreations());
        out.writeInt(node.aversion());
        out.writeLong(node.ephemeralOwner());
    }
}
