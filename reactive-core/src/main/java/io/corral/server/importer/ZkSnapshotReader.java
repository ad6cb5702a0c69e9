package io.corral.server.importer;

import io.corral.protocol.Acl;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a ZooKeeper 3.5-3.9 snapshot (format version 2). Its layout: a file header (magic "ZKSN", version, dbid),
 * the sessions (count, then id and timeout each), the ACL table (count, then a long key and an ACL vector each), the
 * nodes parent first (path, data, ACL key, StatPersisted; the root's path is "" and a path "/" ends them), then a
 * seal: the Adler32 of every byte before it and the string "/". ZooKeeper 3.6+ appends the tree digest (zxid,
 * version, digest) and 3.9 the last processed zxid, each followed by a seal of its own.
 */
final class ZkSnapshotReader {
    static final int MAGIC = 0x5A4B534E; // "ZKSN"
    static final int VERSION = 2;
    /** The ACL key ZooKeeper keeps for world:anyone with every permission, never stored in the table. */
    private static final long OPEN_ACL_KEY = -1;
    /** A 3.9 last-processed-zxid trailer without a digest trailer: a long and a seal (long, "/"). */
    private static final int LAST_ZXID_TRAILER = 8 + 8 + 5;

    private ZkSnapshotReader() {
    }

    static ZkSnapshot read(Path file) throws IOException {
        long zxid = ZkSnapshotFiles.zxidOf(file, ZkSnapshotFiles.SNAPSHOT_PREFIX);
        try (InputStream in = ZkSnapshotFiles.open(file)) {
            JuteStream jute = new JuteStream(in, file, 0);
            try {
                return read(jute, file, zxid, in);
            } catch (EOFException e) {
                throw jute.error(jute.position(), "the snapshot is truncated" + decompressed(file));
            }
        } catch (ZooKeeperFileException e) {
            throw e;
        } catch (IOException e) {
            throw new ZooKeeperFileException(file, 0, "cannot read the snapshot" + decompressed(file) + ": " + e, e);
        }
    }

    private static String decompressed(Path file) {
        return ZkSnapshotFiles.compressionOf(file).isEmpty() ? "" : " (offsets count decompressed bytes)";
    }

    private static ZkSnapshot read(JuteStream in, Path file, long zxid, InputStream raw) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw in.error(0, "not a ZooKeeper snapshot: magic 0x" + Integer.toHexString(magic) + ", expected ZKSN"
                    + decompressed(file));
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw in.error(4, "snapshot format version " + version + " (this importer reads version " + VERSION
                    + ", written by ZooKeeper 3.x)");
        }
        in.readLong(); // dbid
        Map<Long, Integer> sessions = readSessions(in);
        Map<Long, List<Acl>> acls = readAclTable(in);
        ZkTree tree = new ZkTree();
        readNodes(in, acls, tree);
        checkSeal(in, "nodes");
        long digestZxid = 0;
        long digest = 0;
        int digestVersion = 0;
        if (!in.atEnd() && remainingUpTo(raw, LAST_ZXID_TRAILER + 1) != LAST_ZXID_TRAILER) {
            digestZxid = in.readLong();
            digestVersion = in.readInt();
            if (digestVersion < 2) {
                String hex = in.readString();
                digest = hex == null ? 0 : Long.parseUnsignedLong(hex, 16);
            } else {
                digest = in.readLong();
            }
            checkSeal(in, "tree digest");
        }
        if (!in.atEnd()) {
            in.readLong(); // the last processed zxid: the file's name says the same
            checkSeal(in, "last processed zxid");
        }
        if (!in.atEnd()) {
            throw in.error(in.position(), "unexpected bytes after the snapshot's last seal");
        }
        return new ZkSnapshot(file, zxid, tree, sessions, acls.size(), digestZxid, digest, digestVersion);
    }

    /** How many bytes are left, counting no further than {@code limit}; consumes nothing. */
    private static int remainingUpTo(InputStream in, int limit) throws IOException {
        in.mark(limit);
        int n = 0;
        while (n < limit && in.read() >= 0) {
            n++;
        }
        in.reset();
        return n;
    }

    private static Map<Long, Integer> readSessions(JuteStream in) throws IOException {
        long at = in.position();
        int count = in.readInt();
        if (count < 0) {
            throw in.error(at, "negative session count " + count);
        }
        Map<Long, Integer> sessions = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            sessions.put(in.readLong(), in.readInt());
        }
        return sessions;
    }

    private static Map<Long, List<Acl>> readAclTable(JuteStream in) throws IOException {
        long at = in.position();
        int count = in.readInt();
        if (count < 0) {
            throw in.error(at, "negative ACL table size " + count);
        }
        Map<Long, List<Acl>> acls = new HashMap<>();
        for (int i = 0; i < count; i++) {
            long key = in.readLong();
            long listAt = in.position();
            List<Acl> list = in.readAclList();
            if (list == null) {
                throw in.error(listAt, "ACL list " + key + " is missing");
            }
            acls.put(key, list);
        }
        return acls;
    }

    private static void readNodes(JuteStream in, Map<Long, List<Acl>> acls, ZkTree tree) throws IOException {
        while (true) {
            long at = in.position();
            String path = in.readString();
            if (path == null) {
                throw in.error(at, "a node without a path");
            }
            if (path.equals("/")) {
                return;
            }
            ZkNode node = new ZkNode();
            node.data = in.readBuffer();
            long aclAt = in.position();
            long aclKey = in.readLong();
            node.acl = aclKey == OPEN_ACL_KEY ? Acl.OPEN_ACL_UNSAFE : acls.get(aclKey);
            if (node.acl == null) {
                throw in.error(aclAt, "node " + path + " refers to ACL " + aclKey + ", which the ACL table lacks");
            }
            node.czxid = in.readLong();
            node.mzxid = in.readLong();
            node.ctime = in.readLong();
            node.mtime = in.readLong();
            node.version = in.readInt();
            node.cversion = in.readInt();
            node.aversion = in.readInt();
            node.ephemeralOwner = in.readLong();
            node.pzxid = in.readLong();
            String treePath = path.isEmpty() ? "/" : path;
            if (!treePath.startsWith("/") || (tree.nodeCount() == 0) != treePath.equals("/")) {
                throw in.error(at, "unexpected node path '" + path + "'");
            }
            try {
                tree.restore(treePath, node);
            } catch (IllegalStateException e) {
                throw in.error(at, "node " + path + " comes before its parent");
            }
        }
    }

    /** A seal: the Adler32 of everything before it, then the string "/". */
    private static void checkSeal(JuteStream in, String what) throws IOException {
        long expected = in.checksum();
        long at = in.position();
        long stored = in.readLong();
        String slash = in.readString();
        if (stored != expected || !"/".equals(slash)) {
            throw in.error(at, "the Adler32 seal after the " + what + " does not match (stored 0x"
                    + Long.toHexString(stored) + ", computed 0x" + Long.toHexString(expected) + "): the file is damaged");
        }
    }
}
