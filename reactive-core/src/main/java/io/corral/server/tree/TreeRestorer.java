package io.corral.server.tree;

import io.corral.protocol.Acl;

import java.util.List;

/**
 * Puts a snapshot's nodes back into a tree in the order the snapshot lists them: depth first, a node before its
 * children, siblings one after the other. So a node's parent is nearly always the node restored last or the parent
 * of that one, and the restorer looks there before walking the path from the root (two table lookups a node for a
 * million children of one parent, a third of the time the load spent building the tree). Valid while nothing but
 * this restorer changes the tree, as during a snapshot's load.
 */
public final class TreeRestorer {
    private final DataTree tree;
    /** The node restored last and its path. */
    private String lastPath;
    private DataNode last;
    /** The parent of the node restored last (null: the root), whose path is lastPath[0, parentSlash). */
    private DataNode parent;
    private int parentSlash;

    TreeRestorer(DataTree tree) {
        this.tree = tree;
    }

    /**
     * Restores one node as the snapshot recorded it, with its digest already computed (or -1) and the number of
     * children it had when written (0 when unknown): see {@link DataTree#restoreUnder}.
     */
    public void restore(String path, byte[] data, List<Acl> acl, long czxid, long mzxid, long ctime, long mtime,
                        long pzxid, int version, int cversion, int aversion, long ephemeralOwner, long nodeDigest,
                        int childCount) {
        int slash = path.lastIndexOf('/');
        DataNode under = null;
        if (slash > 0) {
            if (last != null && slash == lastPath.length() && path.startsWith(lastPath)) {
                under = last; // its first child
            } else if (parent != null && slash == parentSlash && path.regionMatches(0, lastPath, 0, slash)) {
                under = parent; // a sibling of the node restored last
            } else {
                under = tree.parentOf(path, slash);
            }
        }
        DataNode node = tree.restoreUnder(under, path, data, acl, czxid, mzxid, ctime, mtime, pzxid, version,
                cversion, aversion, ephemeralOwner, nodeDigest, childCount);
        parent = under;
        parentSlash = slash;
        lastPath = path;
        last = node;
    }
}
