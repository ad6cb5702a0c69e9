package io.corral.server.tree;

import io.corral.protocol.Acl;

import java.util.Arrays;
import java.util.List;

/**
 * Fills a {@link DataTree} with nodes listed parent first (a snapshot, an import), with the effect of
 * {@link DataTree#restore} on each in turn, once {@link #finish} has run. Siblings that come one after another wait
 * here, and go into their parent's table together ({@link Children#putAll}): grown once, and written in the order
 * of the table's slots rather than all over it. Restoring a million children of one parent node by node took a
 * third of a restart's CPU in the collector's card refinement and copying.
 *
 * <p>The tree must not be used for anything else between the first {@link #restore} and {@link #finish}: the
 * waiting siblings are in no table yet. Not thread-safe (the thread building the tree).
 */
public final class TreeLoader {
    private static final int FIRST_BATCH = 16;

    private final DataTree tree;
    /** Where the waiting siblings go; null when none wait. */
    private Children parent;
    /** The path of a waiting sibling: its first {@link #slash} chars are the parent's path. */
    private String siblingPath;
    private int slash;
    private long[] keys = new long[FIRST_BATCH];
    private DataNode[] nodes = new DataNode[FIRST_BATCH];
    private int count;
    private final Children.Replaced onReplaced = this::replaced;

    TreeLoader(DataTree tree) {
        this.tree = tree;
    }

    /** As {@link DataTree#restore(String, byte[], List, long, long, long, long, long, int, int, int, long, long)}. */
    public void restore(String path, byte[] data, List<Acl> acl, long czxid, long mzxid, long ctime, long mtime,
                        long pzxid, int version, int cversion, int aversion, long ephemeralOwner, long nodeDigest) {
        DataNode node = tree.restoredNode(data, acl, czxid, mzxid, ctime, mtime, pzxid, version, cversion, aversion,
                ephemeralOwner);
        if (path.equals("/")) {
            flush();
            tree.restoredOver(path, tree.replaceRoot(node), node);
            return;
        }
        int at = path.lastIndexOf('/');
        if (parent == null || at != slash || !path.regionMatches(0, siblingPath, 0, at)) {
            flush(); // the parent may be among the waiting siblings: they go into their table first
            parent = tree.childrenOf(path, at);
            siblingPath = path;
            slash = at;
        }
        if (count == keys.length) {
            keys = Arrays.copyOf(keys, 2 * count);
            nodes = Arrays.copyOf(nodes, 2 * count);
        }
        keys[count] = parent.keyFor(path, at + 1, path.length());
        nodes[count++] = node;
        tree.restoredNew(path, node, nodeDigest);
    }

    /** A waiting sibling took the place of one of its name (a path listed twice): during {@link #flush}. */
    private void replaced(String name, DataNode previous, DataNode node) {
        String path = siblingPath.substring(0, slash + 1) + name;
        tree.notNew(path, node);
        tree.restoredOver(path, previous, node);
    }

    /** Puts the waiting siblings into their table: the tree is whole again. */
    public void finish() {
        flush();
    }

    private void flush() {
        if (count > 0) {
            parent.putAll(keys, nodes, count, onReplaced);
            Arrays.fill(nodes, 0, count, null);
            count = 0;
        }
        parent = null;
    }
}
