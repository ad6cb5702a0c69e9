package io.corral.server.importer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * ZooKeeper's digest of a data tree (digest version 2, as 3.6 to 3.9 compute it and record it in their txn logs and
 * snapshots): the sum of one CRC32 per node over its path, its data and its StatPersisted fields; the nodes under
 * {@code /zookeeper/} do not count, and the root counts with the path "". Comparing it with the digest ZooKeeper
 * logged after the last txn proves that the imported tree is the one ZooKeeper had.
 */
final class ZkTreeDigest {
    static final int VERSION = 2;
    private static final String SYSTEM_SUBTREE = "/zookeeper/";

    private long digest;
    private final ByteBuffer stat = ByteBuffer.allocate(60);
    private final CRC32 crc = new CRC32();

    /** Adds one node; {@code path} "/" is the root. */
    void add(String path, byte[] data, long czxid, long mzxid, long pzxid, long ctime, long mtime, int version,
             int cversion, int aversion, long ephemeralOwner) {
        if (path.startsWith(SYSTEM_SUBTREE)) {
            return;
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
        digest += crc.getValue();
    }

    long value() {
        return digest;
    }
}
