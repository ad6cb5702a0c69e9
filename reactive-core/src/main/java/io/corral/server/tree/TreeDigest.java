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

    /**
     * CRC32's register moved past 60 zero bytes (reflected polynomial 0xEDB88320): what a CRC becomes when the Stat's
     * bytes follow (zlib's crc32_combine operator for that length). The operator is linear, so it is tabled per byte of
     * the register: {@code PAST_STAT[k][b]} is the image of byte k holding b (four lookups, no branch per bit).
     */
    private static final int[][] PAST_STAT = pastZeroBytes(60);

    private long value;
    private final ByteBuffer stat = ByteBuffer.allocate(60);
    private final CRC32 crc = new CRC32();

    /** Adds one node; {@code path} "/" is the root. */
    public void add(String path, byte[] data, long czxid, long mzxid, long pzxid, long ctime, long mtime, int version,
                    int cversion, int aversion, long ephemeralOwner) {
        value += node(path, data, czxid, mzxid, pzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner);
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
        value += withStat(pathAndData(path, node), node);
    }

    /** Takes a node of a Corral tree out, as it was before a change. */
    void remove(String path, DataNode node) {
        value -= withStat(pathAndData(path, node), node);
    }

    /** Adds a node whose {@link #pathAndData} is known: a change of its Stat fields alone reads its data once. */
    void add(long pathAndData, DataNode node) {
        value += withStat(pathAndData, node);
    }

    void remove(long pathAndData, DataNode node) {
        value -= withStat(pathAndData, node);
    }

    /** The CRC32 of the node's path and data (-1 for a node under /zookeeper/, which does not count). */
    long pathAndData(String path, DataNode n) {
        if (path.startsWith(SYSTEM_SUBTREE)) {
            return -1;
        }
        crc.reset();
        crc.update((path.equals("/") ? "" : path).getBytes(StandardCharsets.UTF_8));
        if (n.data != null) {
            crc.update(n.data);
        }
        return crc.getValue();
    }

    /**
     * The node's CRC32 from the CRC of its path and data and its Stat fields as they are now: CRC32 of a
     * concatenation, as zlib's crc32_combine computes it (the first CRC carried past the Stat's 60 bytes, then the
     * Stat's own CRC added in).
     */
    private long withStat(long pathAndData, DataNode n) {
        if (pathAndData < 0) {
            return 0;
        }
        crc.reset();
        crc.update(statBytes(n.czxid, n.mzxid, n.pzxid(), n.ctime, n.mtime, n.version, n.childCreations(), n.aversion,
                n.ephemeralOwner()));
        int bits = (int) pathAndData;
        int carried = PAST_STAT[0][bits & 0xFF] ^ PAST_STAT[1][(bits >>> 8) & 0xFF]
                ^ PAST_STAT[2][(bits >>> 16) & 0xFF] ^ PAST_STAT[3][bits >>> 24];
        return (carried ^ crc.getValue()) & 0xFFFFFFFFL;
    }

    /**
     * One node's CRC32 computed in one pass, as ZooKeeper does; 0 for a node under /zookeeper/. An instance of its own
     * on any thread computes it for the tree's thread (a snapshot's decoders: see {@link DataTree#restore}).
     */
    public long node(String path, byte[] data, long czxid, long mzxid, long pzxid, long ctime, long mtime, int version,
                    int cversion, int aversion, long ephemeralOwner) {
        if (path.startsWith(SYSTEM_SUBTREE)) {
            return 0;
        }
        crc.reset();
        crc.update((path.equals("/") ? "" : path).getBytes(StandardCharsets.UTF_8));
        if (data != null) {
            crc.update(data);
        }
        crc.update(statBytes(czxid, mzxid, pzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner));
        return crc.getValue();
    }

    private byte[] statBytes(long czxid, long mzxid, long pzxid, long ctime, long mtime, int version, int cversion,
                             int aversion, long ephemeralOwner) {
        stat.clear();
        stat.putLong(czxid).putLong(mzxid).putLong(pzxid).putLong(ctime).putLong(mtime)
                .putInt(version).putInt(cversion).putInt(aversion).putLong(ephemeralOwner);
        return stat.array();
    }

    private static int[][] pastZeroBytes(int bytes) {
        int[] columns = new int[32]; // the image of each bit set alone
        for (int i = 0; i < 32; i++) {
            int register = 1 << i;
            for (int bit = 0; bit < bytes * 8; bit++) {
                register = (register & 1) != 0 ? (register >>> 1) ^ 0xEDB88320 : register >>> 1;
            }
            columns[i] = register;
        }
        int[][] tables = new int[4][256];
        for (int k = 0; k < 4; k++) {
            for (int b = 1; b < 256; b++) {
                int low = Integer.numberOfTrailingZeros(b); // b's image: its lowest bit's, then the rest's
                tables[k][b] = columns[8 * k + low] ^ tables[k][b & (b - 1)];
            }
        }
        return tables;
    }
}
