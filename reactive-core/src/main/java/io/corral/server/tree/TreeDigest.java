package io.corral.server.tree;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * ZooKeeper's digest of a data tree (digest version 2, as 3.6 to 3.9 compute it, log it every 128 txns and record it
 * in their txn logs and snapshots): the sum of one CRC32 per node over its path, its data and its StatPersisted
 * fields; the nodes under {@code /zookeeper/} do not count, and the root counts with the path "". A sum, so a tree
 * keeps it up to date by taking a node's old value out and its new one in ({@link DataTree}); the importer compares
 * it with the digest ZooKeeper logged to prove an imported tree is the one ZooKeeper had.
 */
public final class TreeDigest {
    public static final int VERSION = 2;
    private static final String SYSTEM_SUBTREE = "/zookeeper/";

    private long value;
    private final ByteBuffer stat = ByteBuffer.allocate(60);
    private final CRC32 crc = new CRC32();

    /** Adds one node; {@code path} "/" is the root. */
    public void add(String path, byte[] data, long czxid, long mzxid, long pzxid, long ctime, long mtime, int version,
                    int cversion, int aversion, long ephemeralOwner) {
        value += of(path, data, czxid, mzxid, pzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner);
    }

    /** The sum of the nodes added (and of those taken out, subtracted). */
    public long value() {
        return value;
    }

    void set(long value) {
        this.value = value;
    }

    /** Adds a node of a Corral tree. */
    void add(String path, DataNode node) {
        value += of(path, node);
    }

    /** Takes a node of a Corral tree out, as it was before a change. */
    void remove(String path, DataNode node) {
        value -= of(path, node);
    }

    private long of(String path, DataNode n) {
        return of(path, n.data, n.czxid, n.mzxid, n.pzxid(), n.ctime, n.mtime, n.version, n.childCreations(),
                n.aversion, n.ephemeralOwner());
    }

    /** One node's CRC32; 0 for a node under /zookeeper/. */
    private long of(String path, byte[] data, long czxid, long mzxid, long pzxid, long ctime, long mtime, int version,
                    int cversion, int aversion, long ephemeralOwner) {
        if (path.startsWith(SYSTEM_SUBTREE)) {
            return 0;
        }
        stat.clear();
        stat.putLong(czxid).putLong(mzxid).putLong(pzxid).putLong(ctime).putLong(mtime)
                .putInt(version).putInt(cversion).putInt(aversion).putLong(ephemeralOwner);
        crc.reset();
        crc.update((path.equals("/") ? "" : path).getBytes(StandardCharsets.UTF_8));
        if (data != null) {
            crc.update(data);
        }
        crc.update(stat.array());
        return crc.getValue();
    }
}
