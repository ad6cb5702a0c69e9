package io.corral.server.importer;

import java.nio.file.Path;
import java.util.Map;

/**
 * A ZooKeeper snapshot as read: the tree and sessions it holds and what its trailers said.
 *
 * @param zxid              the zxid in the file's name, the last txn ZooKeeper had applied when it began the snapshot
 * @param sessions          session id to timeout
 * @param aclLists          the number of distinct ACL lists in its ACL table
 * @param digestZxid        the zxid of the tree digest ZooKeeper 3.6+ appends (0: none)
 * @param digest            that digest (see {@link io.corral.server.tree.TreeDigest})
 * @param digestVersion     its version (0: none)
 */
record ZkSnapshot(Path file, long zxid, ZkTree tree, Map<Long, Integer> sessions, int aclLists, long digestZxid,
                  long digest, int digestVersion) {
}
