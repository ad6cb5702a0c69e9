package io.corral.server.tree;

import io.corral.protocol.Acl;
import io.corral.server.txn.EphemeralOwner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The in-memory namespace: znodes reached from the root through each parent's {@link Children} (no table of full
 * paths: a lookup walks the path a segment at a time), plus the indexes the server needs (ephemerals per session,
 * containers, TTL nodes). Only the sequencer thread touches it, so nothing here is synchronised; a read sees the
 * tree between two mutators, never in the middle of one. The mutators apply already-validated transactions; they
 * do not check anything a validator has checked.
 */
public final class DataTree {
    private static final byte[] EMPTY = new byte[0];

    private DataNode root;
    private int nodeCount;
    private final Map<Long, Set<String>> ephemerals = new HashMap<>();
    private final Set<String> containers = new TreeSet<>();
    private final Set<String> ttls = new TreeSet<>();
    private AclInterner aclInterner = new AclInterner();
    private final QuotaTracker quotas = new QuotaTracker();
    private long lastAppliedZxid;
    /** ZooKeeper's digest of the tree, kept up to date by every mutator while enabled (zookeeper.digest.enabled). */
    private final TreeDigest digest = new TreeDigest();
    private boolean digestEnabled = true;
    private final DigestLog digestLog = new DigestLog();
    /**
     * The digest is logged from this zxid on: a tree restored from a fuzzy snapshot matches no single zxid until the
     * log after it has been replayed (see {@link #digestSettlesAt}).
     */
    private long digestSettledAt;

    public DataTree() {
        addRootAndSystemNodes();
    }

    /**
     * Takes over the nodes and indexes of {@code loaded}, a tree a snapshot was loaded into on another thread
     * before the server started; {@code loaded} is not used afterwards.
     */
    public void replaceWith(DataTree loaded) {
        root = loaded.root;
        nodeCount = loaded.nodeCount;
        ephemerals.clear();
        ephemerals.putAll(loaded.ephemerals);
        containers.clear();
        containers.addAll(loaded.containers);
        ttls.clear();
        ttls.addAll(loaded.ttls);
        aclInterner = loaded.aclInterner;
        lastAppliedZxid = loaded.lastAppliedZxid;
        quotas.replaceWith(loaded.quotas);
        digest.set(digestEnabled ? loaded.digest.value() : 0);
        digestLog.clear();
        digestSettledAt = loaded.digestSettledAt;
    }

    /** Back to the empty tree of a new server (before a snapshot from the leader is loaded into it). */
    public void clear() {
        ephemerals.clear();
        containers.clear();
        ttls.clear();
        quotas.clear();
        lastAppliedZxid = 0;
        digestLog.clear();
        digestSettledAt = 0;
        addRootAndSystemNodes();
    }

    private void addRootAndSystemNodes() {
        root = DataNode.created(EMPTY, aclInterner.intern(Acl.OPEN_ACL_UNSAFE), 0, 0, 0);
        nodeCount = 1;
        addSystemNode("/zookeeper", Acl.OPEN_ACL_UNSAFE);
        addSystemNode("/zookeeper/quota", Acl.OPEN_ACL_UNSAFE);
        addSystemNode("/zookeeper/config", Acl.READ_ACL_UNSAFE).aversion = -1;
        digest.set(0);
        if (digestEnabled) {
            digest.add("/", root);
            digest.add("/zookeeper", get("/zookeeper")); // the nodes under it do not count
        }
    }

    private DataNode addSystemNode(String path, List<Acl> acl) {
        DataNode node = DataNode.created(EMPTY, aclInterner.intern(acl), 0, 0, 0);
        int slash = path.lastIndexOf('/');
        parentOf(path, slash).parentState().put(path, slash + 1, path.length(), node);
        nodeCount++;
        return node;
    }

    /** The system nodes that can never be deleted. */
    public static boolean isReserved(String path) {
        return path.equals("/") || path.equals("/zookeeper") || path.equals("/zookeeper/quota")
                || path.equals("/zookeeper/config");
    }

    /** The node at path, or null when there is none (or path is no znode path at all). */
    public DataNode get(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        return path.length() == 1 ? root : walk(path, path.length());
    }

    /**
     * The node at path[0, end), end > 1, path[0] = '/': one child table per segment, each segment read once for
     * both of the keys a {@link Children} may want (see {@link Children#get}).
     */
    private DataNode walk(String path, int end) {
        DataNode node = root;
        int from = 1;
        while (true) {
            int to = from;
            int h = 0;
            long bytes = 0;
            boolean ascii = true;
            for (char c; to < end && (c = path.charAt(to)) != '/'; to++) {
                h = 31 * h + c;
                ascii &= c < 0x80;
                if (to - from < Children.MAX_INLINE) {
                    bytes |= (long) c << 8 * (to - from);
                }
            }
            Children children = node.children;
            if (to == from || children == null) {
                return null;
            }
            long inline = ascii && to - from <= Children.MAX_INLINE ? bytes | (long) (to - from) << 56 : 0;
            node = children.get(inline, h, path, from, to);
            if (node == null || to == end) {
                return node;
            }
            from = to + 1;
        }
    }

    /** The parent of the node at path, whose last '/' is at slash; null when it does not exist. */
    private DataNode parentOf(String path, int slash) {
        return slash == 0 ? root : walk(path, slash);
    }

    public int nodeCount() {
        return nodeCount;
    }

    public long lastAppliedZxid() {
        return lastAppliedZxid;
    }

    /** Sets the applied zxid of a restored state (a snapshot, a backup): no digest is logged for it. */
    public void setLastAppliedZxid(long zxid) {
        this.lastAppliedZxid = zxid;
    }

    /** The txn {@code zxid} was applied: logs the tree's digest for it, as ZooKeeper does after each txn. */
    public void applied(long zxid) {
        this.lastAppliedZxid = zxid;
        if (digestEnabled && zxid >= digestSettledAt) {
            digestLog.applied(zxid, digest.value());
        }
    }

    /**
     * The tree was restored from a snapshot and the log after it ends at {@code zxid}: replayed up to there, the tree
     * is the state of one zxid again, and its digest is logged from there on.
     */
    public void digestSettlesAt(long zxid) {
        digestSettledAt = zxid;
    }

    /**
     * A learner serves from a commit point its leader told it, at or after the end of any snapshot the leader sent
     * it (the leader had applied that snapshot's last txn): the digest is logged from there on at the latest.
     */
    public void digestSettlesBy(long zxid) {
        digestSettledAt = Math.min(digestSettledAt, zxid);
    }

    /** Stops keeping the digest (zookeeper.digest.enabled=false): the mutators skip its CRCs; hash lists nothing. */
    public void disableDigest() {
        digestEnabled = false;
        digest.set(0);
        digestLog.clear();
    }

    public boolean digestEnabled() {
        return digestEnabled;
    }

    /** ZooKeeper's digest of the tree as it is now (0 when disabled). */
    public long digest() {
        return digest.value();
    }

    /** The digests logged at every 128th zxid, oldest first (ZooKeeper's digestLog). */
    public java.util.List<DigestLog.Entry> digestLog() {
        return digestLog.entries();
    }

    /** The parent's path of the path whose last '/' is at slash. */
    private static String parentPath(String path, int slash) {
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    public DataNode create(String path, byte[] data, List<Acl> acl, long ephemeralOwner, int parentCversion,
                           long zxid, long time) {
        int slash = path.lastIndexOf('/');
        DataNode parent = parentOf(path, slash);
        long parentBase = digestEnabled ? digest.pathAndData(parentPath(path, slash), parent) : 0;
        if (digestEnabled) {
            digest.remove(parentBase, parent); // only its pzxid and cversion change
        }
        Children siblings = parent.parentState();
        DataNode node = DataNode.created(data, aclInterner.intern(acl), zxid, time, ephemeralOwner);
        DataNode replaced = siblings.put(path, slash + 1, path.length(), node);
        if (replaced == null) {
            nodeCount++;
        } else if (digestEnabled) {
            digest.remove(path, replaced);
        }
        if (parentCversion > siblings.cversion) {
            siblings.cversion = parentCversion;
            siblings.pzxid = zxid;
        }
        if (digestEnabled) {
            digest.add(parentBase, parent);
            digest.add(path, node);
        }
        index(path, ephemeralOwner);
        quotas.created(this, path, data == null ? 0 : data.length);
        return node;
    }

    /** The parent's side of a create replayed over a snapshot that already holds the node. */
    public void touchParent(String path, int parentCversion, long zxid) {
        int slash = path.lastIndexOf('/');
        DataNode parent = parentOf(path, slash);
        if (parent != null && parentCversion > parent.childCreations()) {
            long parentBase = digestEnabled ? digest.pathAndData(parentPath(path, slash), parent) : 0;
            if (digestEnabled) {
                digest.remove(parentBase, parent);
            }
            Children siblings = parent.parentState();
            siblings.cversion = parentCversion;
            siblings.pzxid = zxid;
            if (digestEnabled) {
                digest.add(parentBase, parent);
            }
        }
    }

    /**
     * Puts a node back as a snapshot recorded it; its parent must already be there (snapshots list parents first).
     * Replacing a node (the system nodes a fresh tree starts with) keeps its children.
     */
    public void restore(String path, byte[] data, List<Acl> acl, long czxid, long mzxid, long ctime, long mtime,
                        long pzxid, int version, int cversion, int aversion, long ephemeralOwner) {
        restore(path, data, acl, czxid, mzxid, ctime, mtime, pzxid, version, cversion, aversion, ephemeralOwner, -1);
    }

    /**
     * As {@link #restore(String, byte[], List, long, long, long, long, long, int, int, int, long)}, with the node's
     * digest already computed from these fields ({@link TreeDigest#node}, on a snapshot's decoder thread: off this
     * one), or -1 to compute it here.
     */
    public void restore(String path, byte[] data, List<Acl> acl, long czxid, long mzxid, long ctime, long mtime,
                        long pzxid, int version, int cversion, int aversion, long ephemeralOwner, long nodeDigest) {
        TreeLoader loader = loader();
        loader.restore(path, data, acl, czxid, mzxid, ctime, mtime, pzxid, version, cversion, aversion,
                ephemeralOwner, nodeDigest);
        loader.finish();
    }

    /** Restores many nodes, parent first, faster than {@link #restore} one by one: see {@link TreeLoader}. */
    public TreeLoader loader() {
        return new TreeLoader(this);
    }

    // --- what a TreeLoader does to the tree --------------------------------------------------------------------

    DataNode restoredNode(byte[] data, List<Acl> acl, long czxid, long mzxid, long ctime, long mtime, long pzxid,
                          int version, int cversion, int aversion, long ephemeralOwner) {
        return DataNode.restored(data, aclInterner.intern(acl), czxid, mzxid, ctime, mtime, pzxid, version, cversion,
                aversion, ephemeralOwner);
    }

    /** The parent side of the node at path[0, slash) (the root when slash is 0): where its children go. */
    Children childrenOf(String path, int slash) {
        return parentOf(path, slash).parentState();
    }

    /** The restored root replaces the root: returns the one it replaced. */
    DataNode replaceRoot(DataNode node) {
        DataNode previous = root;
        root = node;
        return previous;
    }

    /** A restored node taken as new: counted, its digest added (nodeDigest, or computed when -1), indexed. */
    void restoredNew(String path, DataNode node, long nodeDigest) {
        nodeCount++;
        if (digestEnabled) {
            if (nodeDigest >= 0) {
                digest.set(digest.value() + nodeDigest);
            } else {
                digest.add(path, node);
            }
        }
        index(path, node.ephemeralOwner());
    }

    /** {@link #restoredNew} undone but for the index (which {@link #restoredOver} sets again): not new after all. */
    void notNew(String path, DataNode node) {
        nodeCount--;
        if (digestEnabled) {
            digest.remove(path, node);
        }
    }

    /**
     * A restored node replaced {@code previous} at path (a node every tree starts with, or a path a fuzzy snapshot
     * lists twice): it takes over the children, its digest replaces the previous one's, it is indexed.
     */
    void restoredOver(String path, DataNode previous, DataNode node) {
        if (digestEnabled) {
            digest.remove(path, previous); // before its children (and their Stat fields) move over
        }
        node.adoptChildren(previous); // which may change its Stat
        if (digestEnabled) {
            digest.add(path, node);
        }
        index(path, node.ephemeralOwner());
    }

    /**
     * After a snapshot was restored into this tree: the limited paths are those whose limit node it holds, and
     * their stats are counted again from the tree (ZooKeeper does the same after loading a snapshot).
     */
    public void restored() {
        quotas.rebuild(this);
        digestSettledAt = Long.MAX_VALUE; // until the replay of the log after it is known to end (digestSettlesAt)
    }

    /** The deepest path at or above path with a quota (a zookeeper_limits node), or null. */
    public String limitedPrefixOf(String path) {
        return quotas.limitedPrefixOf(path);
    }

    private void index(String path, long ephemeralOwner) {
        if (EphemeralOwner.isContainer(ephemeralOwner)) {
            containers.add(path);
        } else if (EphemeralOwner.isTtl(ephemeralOwner)) {
            ttls.add(path);
        } else if (ephemeralOwner != 0) {
            ephemerals.computeIfAbsent(ephemeralOwner, s -> new TreeSet<>()).add(path);
        }
    }

    /** Removes a node; returns it (its ACL decides who may see the NodeDeleted event). */
    public DataNode delete(String path, long zxid) {
        int slash = path.lastIndexOf('/');
        DataNode parent = parentOf(path, slash);
        long parentBase = digestEnabled ? digest.pathAndData(parentPath(path, slash), parent) : 0;
        if (digestEnabled) {
            digest.remove(parentBase, parent); // only its pzxid changes
        }
        Children siblings = parent.children;
        DataNode node = siblings.remove(path, slash + 1, path.length());
        nodeCount--;
        if (zxid > siblings.pzxid) {
            siblings.pzxid = zxid;
        }
        if (digestEnabled) {
            digest.add(parentBase, parent);
            digest.remove(path, node);
        }
        long owner = node.ephemeralOwner();
        if (EphemeralOwner.isContainer(owner)) {
            containers.remove(path);
        } else if (EphemeralOwner.isTtl(owner)) {
            ttls.remove(path);
        } else if (owner != 0) {
            Set<String> owned = ephemerals.get(owner);
            if (owned != null) {
                owned.remove(path);
                if (owned.isEmpty()) {
                    ephemerals.remove(owner);
                }
            }
        }
        quotas.deleted(this, path, node.data == null ? 0 : node.data.length);
        return node;
    }

    public DataNode setData(String path, byte[] data, int version, long zxid, long time) {
        return setData(path, get(path), data, version, zxid, time);
    }

    /** setData on the node at path that the caller has just looked up (one walk of the path instead of two). */
    public DataNode setData(String path, DataNode node, byte[] data, int version, long zxid, long time) {
        quotas.dataChanged(this, path, node.data == null ? 0 : node.data.length, data == null ? 0 : data.length);
        if (digestEnabled) {
            digest.remove(path, node);
        }
        node.data = data;
        node.version = version;
        node.mzxid = zxid;
        node.mtime = time;
        if (digestEnabled) {
            digest.add(path, node);
        }
        return node;
    }

    public DataNode setAcl(String path, List<Acl> acl, int aversion) {
        DataNode node = get(path);
        long base = digestEnabled ? digest.pathAndData(path, node) : 0;
        if (digestEnabled) {
            digest.remove(base, node); // only its aversion changes
        }
        node.acl = aclInterner.intern(acl);
        node.aversion = aversion;
        if (digestEnabled) {
            digest.add(base, node);
        }
        return node;
    }

    /** The paths of a session's ephemerals, sorted. */
    public Set<String> ephemeralsOf(long sessionId) {
        Set<String> owned = ephemerals.get(sessionId);
        return owned == null ? Collections.emptySet() : Collections.unmodifiableSet(owned);
    }

    public int ephemeralCount() {
        int count = 0;
        for (Set<String> owned : ephemerals.values()) {
            count += owned.size();
        }
        return count;
    }

    public Map<Long, Set<String>> ephemeralsBySession() {
        return Collections.unmodifiableMap(ephemerals);
    }

    public Set<String> containers() {
        return Collections.unmodifiableSet(containers);
    }

    public Set<String> ttlNodes() {
        return Collections.unmodifiableSet(ttls);
    }

    /** Number of descendants at any depth (getAllChildrenNumber). */
    public int descendantCount(String path) {
        if (path.equals("/")) {
            return nodeCount - 1;
        }
        DataNode node = get(path);
        if (node == null) {
            return 0;
        }
        int count = 0;
        List<DataNode> stack = new ArrayList<>();
        stack.add(node);
        while (!stack.isEmpty()) {
            Children children = stack.remove(stack.size() - 1).children;
            if (children != null) {
                count += children.size();
                children.forEach((child, nameChars) -> stack.add(child));
            }
        }
        return count;
    }

    /** Approximate bytes of node data, for the mntr figure zk_approximate_data_size: paths plus data, per node. */
    public long approximateDataSize() {
        long[] size = {0};
        List<DataNode> nodes = new ArrayList<>();
        IntStack pathLengths = new IntStack();
        nodes.add(root);
        pathLengths.push(1);
        while (!nodes.isEmpty()) {
            DataNode node = nodes.remove(nodes.size() - 1);
            int pathLength = pathLengths.pop();
            size[0] += pathLength + (node.data == null ? 0 : node.data.length);
            if (node.children != null) {
                int prefix = node == root ? 1 : pathLength + 1;
                node.children.forEach((child, nameChars) -> {
                    nodes.add(child);
                    pathLengths.push(prefix + nameChars);
                });
            }
        }
        return size[0];
    }

    /** A stack of ints without boxing. */
    private static final class IntStack {
        private int[] values = new int[16];
        private int size;

        void push(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int pop() {
            return values[--size];
        }
    }
}
