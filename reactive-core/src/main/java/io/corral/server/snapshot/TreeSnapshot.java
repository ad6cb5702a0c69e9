package io.corral.server.snapshot;

import io.corral.protocol.Acl;
import io.corral.protocol.Id;
import io.corral.server.session.Session;
import io.corral.server.session.SessionTracker;
import io.corral.server.tree.DataNode;
import io.corral.server.tree.DataTree;
import io.corral.server.tree.TreeLoader;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A fuzzy snapshot of the tree and the sessions, serialised a slice at a time on the sequencer thread so that
 * writes keep flowing while it is taken (ZooKeeper's approach). Nodes change between slices, so the snapshot is
 * not a state of any single zxid; it is correct together with the log from {@link #startZxid()} on, whose replay
 * is idempotent (see the Committer). Parents are always written before their children.
 *
 * <p>Format 2 (written): int format, long startZxid, int sessionCount, sessions (long id, int timeout, int pwLen,
 * pw), then the nodes in frames of a slice each, every frame checksummed and parsable on its own (see
 * {@link NodeChunk}), so that a load checks and parses frames in parallel while it builds the tree
 * ({@link SnapshotLoader}); an empty frame ends them.
 *
 * <p>Format 1 (still read, from older builds): the same header, then per node: boolean true, path, data (int len or
 * -1, bytes), acl (int count, perms + scheme + id each), czxid, mzxid, ctime, mtime, pzxid, version, cversion,
 * aversion, ephemeralOwner; and a final boolean false. Its integrity rests on the file's checksum alone.
 */
public final class TreeSnapshot {
    private static final int FORMAT = 2;
    private static final int FORMAT_1 = 1;

    private final DataTree tree;
    private final long startZxid;
    /** The target size of a frame's nodes. */
    static final int FRAME_BYTES = 128 * 1024;

    private final ArrayDeque<String> pending = new ArrayDeque<>();
    private final NodeChunk.Encoder frame = new NodeChunk.Encoder();
    private boolean headerWritten;
    private boolean finished;
    private long endZxid = -1;
    private final SessionTracker sessions;

    public TreeSnapshot(DataTree tree, SessionTracker sessions, long startZxid) {
        this.tree = tree;
        this.sessions = sessions;
        this.startZxid = startZxid;
        pending.push("/");
    }

    public long startZxid() {
        return startZxid;
    }

    /**
     * The zxid applied when the end frame was made (-1 before), after every node was serialised: the snapshot with
     * the log's txns in {@code (startZxid, endZxid]} replayed over it is the state of {@code endZxid}.
     */
    public long endZxid() {
        return endZxid;
    }

    /**
     * The next slice, or null once the end frame has been returned: first the header, then one frame of at most
     * maxNodes nodes and about {@value #FRAME_BYTES} bytes each, then the end frame. Frames stay well below half of
     * a G1 region (the smallest is 1 MiB): a larger array is a humongous object, allocated straight into the old
     * generation, and the hundreds of them a large tree's snapshot made grew the heap and set off concurrent cycles.
     */
    public byte[] nextChunk(int maxNodes) {
        if (finished) {
            return null;
        }
        try {
            if (!headerWritten) {
                headerWritten = true;
                return header();
            }
            while (frame.nodes() < maxNodes && frame.bytes() < FRAME_BYTES && !pending.isEmpty()) {
                String path = pending.pop();
                DataNode node = tree.get(path);
                if (node == null) {
                    continue; // deleted since its parent was written: the log replay deletes it anyway
                }
                frame.add(path, node);
                String prefix = path.equals("/") ? "/" : path + "/";
                for (String child : node.children()) {
                    pending.push(prefix + child);
                }
            }
            if (frame.nodes() > 0) {
                return frame.finish();
            }
            finished = true;
            endZxid = tree.lastAppliedZxid();
            return NodeChunk.endFrame();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] header() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeHeader(out);
        }
        return bytes.toByteArray();
    }

    private void writeHeader(DataOutputStream out) throws IOException {
        out.writeInt(FORMAT);
        out.writeLong(startZxid);
        List<Session> all = new ArrayList<>(sessions.sessions());
        out.writeInt(all.size());
        for (Session session : all) {
            out.writeLong(session.id());
            out.writeInt(session.timeout());
            writeBytes(out, session.password());
        }
    }

    /** An int length (-1 for null), then the bytes; format 1 wrote data this way too. */
    static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    /** The whole snapshot at once, written to {@code out}: what a leader sends a learner too far behind its log. */
    public static void write(DataTree tree, SessionTracker sessions, java.io.OutputStream out) throws IOException {
        TreeSnapshot snapshot = new TreeSnapshot(tree, sessions, tree.lastAppliedZxid());
        byte[] chunk;
        while ((chunk = snapshot.nextChunk(4096)) != null) {
            out.write(chunk);
        }
    }

    /** What a snapshot restores: the tree is filled in place; sessions and startZxid are returned. */
    public record Restored(long startZxid, List<RestoredSession> sessions) {
    }

    public record RestoredSession(long id, int timeout, byte[] password) {
    }

    /** Reads a snapshot written by {@link #nextChunk} (or by an older build, format 1) into a fresh tree. */
    public static Restored read(DataInputStream in, DataTree tree) throws IOException {
        int format = in.readInt();
        if (format != FORMAT && format != FORMAT_1) {
            throw new IOException("unknown snapshot format " + format + " (this build reads formats " + FORMAT_1
                    + " and " + FORMAT + ")");
        }
        long startZxid = in.readLong();
        int sessionCount = in.readInt();
        List<RestoredSession> restored = new ArrayList<>(sessionCount);
        for (int i = 0; i < sessionCount; i++) {
            restored.add(new RestoredSession(in.readLong(), in.readInt(), readBytes(in)));
        }
        TreeLoader loader = tree.loader();
        if (format == FORMAT) {
            SnapshotLoader.load(in, loader);
        } else {
            readFormat1Nodes(in, loader);
        }
        loader.finish();
        tree.restored();
        return new Restored(startZxid, restored);
    }

    private static void readFormat1Nodes(DataInputStream in, TreeLoader tree) throws IOException {
        while (in.readBoolean()) {
            String path = in.readUTF();
            byte[] data = readBytes(in);
            int aclCount = in.readInt();
            List<Acl> acl = new ArrayList<>(aclCount);
            for (int i = 0; i < aclCount; i++) {
                acl.add(new Acl(in.readInt(), new Id(in.readUTF(), in.readUTF())));
            }
            tree.restore(path, data, acl, in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                    in.readInt(), in.readInt(), in.readInt(), in.readLong(), -1);
        }
    }
}
