package io.corral.server.snapshot;

import io.corral.protocol.Acl;
import io.corral.protocol.Id;
import io.corral.server.tree.DataNode;
import io.corral.server.tree.TreeLoader;
import io.corral.server.tree.TreeDigest;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * One frame of a format-2 snapshot: whole nodes, with a CRC32C of their bytes, decodable on its own (the ACL lists
 * its nodes use are defined in it), so that frames can be checked and parsed in parallel and applied in order.
 *
 * <pre>
 * frame : nodeCount i32 | length i32 | crc32c i32 of the bytes | bytes      (the end: a frame of 0 nodes, 0 bytes)
 * node  : pathLength i32, path (UTF-8) | dataLength i32 (-1: null), data | acl |
 *         czxid i64, mzxid i64, ctime i64, mtime i64, pzxid i64 | version i32, cversion i32, aversion i32 |
 *         ephemeralOwner i64
 * acl   : i32 index of a list defined earlier in this frame, or -1 and the list: count i32, then per entry
 *         perms i32, schemeLength i32, scheme (UTF-8), idLength i32, id (UTF-8)
 * </pre>
 */
final class NodeChunk {
    static final int FRAME_HEADER = 12;
    /** Far more than any frame the writer makes (a slice's nodes); a larger length means a damaged file. */
    static final int MAX_LENGTH = 1 << 30;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int LONGS = 6;
    private static final int INTS = 3;

    private NodeChunk() {
    }

    /** The frame that ends the nodes. */
    static byte[] endFrame() {
        return new byte[FRAME_HEADER];
    }

    /** Builds frames on the sequencer thread, one after the other in the same buffer. */
    static final class Encoder {
        private byte[] buf = new byte[64 * 1024];
        private int pos = FRAME_HEADER;
        private int nodes;
        private final Map<List<Acl>, Integer> acls = new HashMap<>();

        int nodes() {
            return nodes;
        }

        /** The bytes of the nodes added to the frame so far. */
        int bytes() {
            return pos - FRAME_HEADER;
        }

        void add(String path, DataNode node) {
            putString(path);
            byte[] data = node.data();
            if (data == null) {
                putInt(-1);
            } else {
                putInt(data.length);
                putBytes(data, data.length);
            }
            putAcl(node.acl());
            putLong(node.czxid());
            putLong(node.mzxid());
            putLong(node.ctime());
            putLong(node.mtime());
            putLong(node.pzxid());
            putInt(node.version());
            putInt(node.childCreations());
            putInt(node.aversion());
            putLong(node.ephemeralOwner());
            nodes++;
        }

        /** The frame: header (with the checksum) and nodes; the encoder then starts the next frame. */
        byte[] finish() {
            int length = pos - FRAME_HEADER;
            CRC32C crc = new CRC32C();
            crc.update(buf, FRAME_HEADER, length);
            INT.set(buf, 0, nodes);
            INT.set(buf, 4, length);
            INT.set(buf, 8, (int) crc.getValue());
            byte[] frame = Arrays.copyOf(buf, pos);
            pos = FRAME_HEADER;
            nodes = 0;
            acls.clear(); // a frame defines the ACL lists it uses
            return frame;
        }

        private void putAcl(List<Acl> acl) {
            Integer index = acls.get(acl);
            if (index != null) {
                putInt(index);
                return;
            }
            acls.put(acl, acls.size());
            putInt(-1);
            putInt(acl.size());
            for (Acl entry : acl) {
                putInt(entry.perms());
                putString(entry.id().scheme());
                putString(entry.id().id());
            }
        }

        private void putString(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            putInt(bytes.length);
            putBytes(bytes, bytes.length);
        }

        private void putBytes(byte[] bytes, int length) {
            ensure(length);
            System.arraycopy(bytes, 0, buf, pos, length);
            pos += length;
        }

        private void putInt(int v) {
            ensure(4);
            INT.set(buf, pos, v);
            pos += 4;
        }

        private void putLong(long v) {
            ensure(8);
            LONG.set(buf, pos, v);
            pos += 8;
        }

        private void ensure(int more) {
            if (pos + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(pos + more, buf.length * 2));
            }
        }
    }

    /** A frame's nodes, parsed; {@link #restoreInto} adds them to the tree in the order they were written. */
    static final class Decoded {
        private final int count;
        private final String[] paths;
        private final byte[][] data;
        private final List<List<Acl>> aclOf;
        private final long[] longs;
        private final int[] ints;
        /** Each node's digest (ZooKeeper's CRC of it), computed while decoding: off the thread building the tree. */
        private final long[] digests;

        private Decoded(int count) {
            this.count = count;
            this.paths = new String[count];
            this.data = new byte[count][];
            this.aclOf = new ArrayList<>(count);
            this.longs = new long[count * LONGS];
            this.ints = new int[count * INTS];
            this.digests = new long[count];
        }

        void restoreInto(TreeLoader tree) {
            for (int i = 0; i < count; i++) {
                int l = i * LONGS;
                int n = i * INTS;
                tree.restore(paths[i], data[i], aclOf.get(i), longs[l], longs[l + 1], longs[l + 2], longs[l + 3],
                        longs[l + 4], ints[n], ints[n + 1], ints[n + 2], longs[l + 5], digests[i]);
            }
        }

        int count() {
            return count;
        }
    }

    /**
     * Checks and parses one frame's bytes (any thread).
     *
     * @param ordinal the frame's number in the snapshot, for the message when it is damaged
     * @param length  the frame's bytes are bytes[0, length)
     */
    static Decoded decode(long ordinal, int nodeCount, byte[] bytes, int length, int crc) throws IOException {
        CRC32C check = new CRC32C();
        check.update(bytes, 0, length);
        if ((int) check.getValue() != crc) {
            throw new IOException("snapshot frame " + ordinal + " (" + nodeCount + " nodes, " + length
                    + " bytes) fails its CRC32C check: the file is damaged");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
            Decoded d = new Decoded(nodeCount);
            TreeDigest digest = new TreeDigest();
            List<List<Acl>> acls = new ArrayList<>(2);
            for (int i = 0; i < nodeCount; i++) {
                d.paths[i] = getString(in);
                int dataLength = in.getInt();
                if (dataLength >= 0) {
                    d.data[i] = new byte[dataLength];
                    in.get(d.data[i]);
                }
                d.aclOf.add(getAcl(in, acls));
                int l = i * LONGS;
                for (int k = 0; k < 5; k++) {
                    d.longs[l + k] = in.getLong();
                }
                int n = i * INTS;
                d.ints[n] = in.getInt();
                d.ints[n + 1] = in.getInt();
                d.ints[n + 2] = in.getInt();
                d.longs[l + 5] = in.getLong();
                // ZooKeeper's field order: czxid, mzxid, pzxid, ctime, mtime; ours: czxid, mzxid, ctime, mtime, pzxid
                d.digests[i] = digest.node(d.paths[i], d.data[i], d.longs[l], d.longs[l + 1], d.longs[l + 4],
                        d.longs[l + 2], d.longs[l + 3], d.ints[n], d.ints[n + 1], d.ints[n + 2], d.longs[l + 5]);
            }
            if (in.hasRemaining()) {
                throw new IOException(in.remaining() + " bytes left over");
            }
            return d;
        } catch (RuntimeException | IOException e) {
            throw new IOException("snapshot frame " + ordinal + " does not parse although its checksum matches "
                    + "(written by another version?): " + e, e);
        }
    }

    private static List<Acl> getAcl(ByteBuffer in, List<List<Acl>> defined) throws IOException {
        int index = in.getInt();
        if (index >= 0) {
            if (index >= defined.size()) {
                throw new IOException("ACL " + index + " is not defined");
            }
            return defined.get(index);
        }
        int count = in.getInt();
        List<Acl> acl = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            acl.add(new Acl(in.getInt(), new Id(getString(in), getString(in))));
        }
        List<Acl> list = List.copyOf(acl);
        defined.add(list);
        return list;
    }

    private static String getString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) { // the buffer may hold an earlier frame's bytes past the limit
            throw new IllegalArgumentException("a string of " + length + " bytes with " + in.remaining() + " left");
        }
        String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }
}
