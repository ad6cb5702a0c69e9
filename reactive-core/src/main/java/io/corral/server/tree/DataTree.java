package io.corral.server.tree;

import io.corral.protocol.Acl;
import io.corral.server.txn.EphemeralOwner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The in-memory namespace: znodes by full path, plus the indexes the server needs (ephemerals per session,
 * containers, TTL nodes). Only the sequencer thread touches it, so nothing here is synchronised. The mutators
 * apply already-validated transactions; they do not check anything a validator has checked.
 */
public final class DataTree {
    private static final byte[] EMPTY = new byte[0];

    private final Map<String, DataNode> nodes = new HashMap<>(1 << 12);
    private final Map<Long, Set<String>> ephemerals = new HashMap<>();
    private final Set<String> containers = new TreeSet<>();
    private final Set<String> ttls = new TreeSet<>();
    private final AclInterner aclInterner = new AclInterner();
    private long lastAppliedZxid;

    public DataTree() {
        addRootAndSystemNodes();
    }

    /** Back to the empty tree of a new server (before a snapshot from the leader is loaded into it). */
    public void clear() {
        nodes.clear();
        ephemerals.clear();
        containers.clear();
        ttls.clear();
        lastAppliedZxid = 0;
        addRootAndSystemNodes();
    }

    private void addRootAndSystemNodes() {
        DataNode root = new DataNode(EMPTY, aclInterner.intern(Acl.OPEN_ACL_UNSAFE), 0, 0, 0);
        nodes.put("/", root);
        addSystemNode("/zookeeper", Acl.OPEN_ACL_UNSAFE);
        addSystemNode("/zookeeper/quota", Acl.OPEN_ACL_UNSAFE);
        addSystemNode("/zookeeper/config", Acl.READ_ACL_UNSAFE).aversion = -1;
    }

    private DataNode addSystemNode(String path, List<Acl> acl) {
        DataNode node = new DataNode(EMPTY, aclInterner.intern(acl), 0, 0, 0);
        nodes.put(path, node);
        nodes.get(PathValidator.parent(path)).addChild(PathValidator.name(path));
        return node;
    }

    /** The system nodes that can never be deleted. */
    public static boolean isReserved(String path) {
        return path.equals("/") || path.equals("/zookeeper") || path.equals("/zookeeper/quota")
                || path.equals("/zookeeper/config");
    }

    public DataNode get(String path) {
        return nodes.get(path);
    }

    public int nodeCount() {
        return nodes.size();
    }

    public long lastAppliedZxid() {
        return lastAppliedZxid;
    }

    public void setLastAppliedZxid(long zxid) {
        this.lastAppliedZxid = zxid;
    }

    public DataNode create(String path, byte[] data, List<Acl> acl, long ephemeralOwner, int parentCversion,
                           long zxid, long time) {
        DataNode parent = nodes.get(PathValidator.parent(path));
        DataNode node = new DataNode(data, aclInterner.intern(acl), zxid, time, ephemeralOwner);
        nodes.put(path, node);
        parent.addChild(PathValidator.name(path));
        if (parentCversion > parent.cversion) {
            parent.cversion = parentCversion;
            parent.pzxid = zxid;
        }
        index(path, ephemeralOwner);
        return node;
    }

    /** The parent's side of a create replayed over a snapshot that already holds the node. */
    public void touchParent(String path, int parentCversion, long zxid) {
        DataNode parent = nodes.get(PathValidator.parent(path));
        if (parent != null && parentCversion > parent.cversion) {
            parent.cversion = parentCversion;
            parent.pzxid = zxid;
        }
    }

    /**
     * Puts a node back as a snapshot recorded it; its parent must already be there (snapshots list parents first).
     * Replacing a node (the system nodes a fresh tree starts with) keeps its children.
     */
    public void restore(String path, byte[] data, List<Acl> acl, long czxid, long mzxid, long ctime, long mtime,
                        long pzxid, int version, int cversion, int aversion, long ephemeralOwner) {
        DataNode node = new DataNode(data, aclInterner.intern(acl), czxid, mzxid, ctime, mtime, pzxid, version,
                cversion, aversion, ephemeralOwner);
        DataNode previous = nodes.put(path, node);
        if (previous != null) {
            node.adoptChildren(previous);
        }
        if (!path.equals("/")) {
            nodes.get(PathValidator.parent(path)).addChild(PathValidator.name(path));
        }
        index(path, ephemeralOwner);
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
        DataNode node = nodes.remove(path);
        DataNode parent = nodes.get(PathValidator.parent(path));
        parent.removeChild(PathValidator.name(path));
        if (zxid > parent.pzxid) {
            parent.pzxid = zxid;
        }
        long owner = node.ephemeralOwner;
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
        return node;
    }

    public DataNode setData(String path, byte[] data, int version, long zxid, long time) {
        DataNode node = nodes.get(path);
        node.data = data;
        node.version = version;
        node.mzxid = zxid;
        node.mtime = time;
        return node;
    }

    public DataNode setAcl(String path, List<Acl> acl, int aversion) {
        DataNode node = nodes.get(path);
        node.acl = aclInterner.intern(acl);
        node.aversion = aversion;
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
            return nodes.size() - 1;
        }
        DataNode node = nodes.get(path);
        if (node == null) {
            return 0;
        }
        int count = 0;
        List<String> stack = new ArrayList<>();
        stack.add(path);
        while (!stack.isEmpty()) {
            String current = stack.remove(stack.size() - 1);
            for (String child : nodes.get(current).children()) {
                count++;
                stack.add(current + "/" + child);
            }
        }
        return count;
    }

    /** Approximate bytes of node data, for the mntr figure zk_approximate_data_size. */
    public long approximateDataSize() {
        long size = 0;
        for (Map.Entry<String, DataNode> e : nodes.entrySet()) {
            size += e.getKey().length();
            byte[] data = e.getValue().data;
            size += data == null ? 0 : data.length;
        }
        return size;
    }
}
