package io.corral.server.importer;

import io.corral.protocol.Acl;
import io.corral.server.tools.TreeWalk;
import io.corral.server.tree.DataTree;
import io.corral.server.tree.TreeDigest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * What the import compares between the tree it rebuilt from ZooKeeper's files and the tree Corral loads back from
 * the snapshot it wrote: the node count, ZooKeeper's own digest (paths, data, Stats) and a digest of every node's
 * ACL, which ZooKeeper's digest leaves out.
 */
record TreeFingerprint(int nodes, long zkDigest, long aclDigest) {

    static TreeFingerprint of(ZkTree tree) {
        Builder b = new Builder();
        tree.forEachParentFirst((path, n) -> b.add(path, n.data, n.acl, n.czxid, n.mzxid, n.pzxid, n.ctime, n.mtime,
                n.version, n.cversion, n.aversion, n.ephemeralOwner));
        return b.build();
    }

    /** The same figures for a Corral tree. */
    static TreeFingerprint of(DataTree tree) {
        Builder b = new Builder();
        TreeWalk.forEach(tree, (path, n) -> b.add(path, n.data(), n.acl(), n.czxid(), n.mzxid(), n.pzxid(), n.ctime(),
                n.mtime(), n.version(), n.childCreations(), n.aversion(), n.ephemeralOwner()));
        return b.build();
    }

    @Override
    public String toString() {
        return nodes + " nodes, ZooKeeper digest " + Long.toHexString(zkDigest) + ", ACL digest "
                + Long.toHexString(aclDigest);
    }

    private static final class Builder {
        private final TreeDigest digest = new TreeDigest();
        private final CRC32 crc = new CRC32();
        private long aclDigest;
        private int nodes;

        void add(String path, byte[] data, List<Acl> acl, long czxid, long mzxid, long pzxid, long ctime, long mtime,
                 int version, int cversion, int aversion, long ephemeralOwner) {
            nodes++;
            digest.add(path, data, czxid, mzxid, pzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner);
            crc.reset();
            crc.update(path.getBytes(StandardCharsets.UTF_8));
            for (Acl entry : acl) {
                crc.update((entry.perms() + ":" + entry.id().scheme() + ":" + entry.id().id())
                        .getBytes(StandardCharsets.UTF_8));
            }
            aclDigest += crc.getValue();
        }

        TreeFingerprint build() {
            return new TreeFingerprint(nodes, digest.value(), aclDigest);
        }
    }
}
