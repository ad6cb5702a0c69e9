package io.corral.server.importer;

import io.corral.protocol.Acl;
import io.corral.server.txn.EphemeralOwner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * A ZooKeeper data tree being rebuilt: the nodes of a snapshot, then the txns of the log applied with the semantics
 * of ZooKeeper's own DataTree, quirks included, because a snapshot is fuzzy (taken while writes went on) and its
 * replay must end in the state ZooKeeper reached: a create of a node that exists replaces its ACL (and, for a plain
 * create, raises the parent's cversion), a delete of a missing child still moves the parent's pzxid, and a txn on a
 * missing node changes nothing.
 */
final class ZkTree {
    private final Map<String, ZkNode> nodes = new HashMap<>();
    /** Session to the paths of its ephemerals, kept as nodes come and go (a closeSession must not scan the tree). */
    private final Map<Long, Set<String>> ephemerals = new HashMap<>();

    ZkNode get(String path) {
        return nodes.get(path);
    }

    int nodeCount() {
        return nodes.size();
    }

    /** Adds a node read from a snapshot; its parent must be there already (snapshots list parents first). */
    void restore(String path, ZkNode node) throws IllegalStateException {
        if (!path.equals("/")) {
            ZkNode parent = nodes.get(parentOf(path));
            if (parent == null) {
                throw new IllegalStateException("no parent for " + path);
            }
            parent.children.add(nameOf(path));
        }
        nodes.put(path, node);
        indexEphemeral(path, node.ephemeralOwner);
    }

    private void indexEphemeral(String path, long owner) {
        if (EphemeralOwner.isSession(owner)) {
            ephemerals.computeIfAbsent(owner, s -> new TreeSet<>()).add(path);
        }
    }

    private void unindexEphemeral(String path, long owner) {
        Set<String> owned = ephemerals.get(owner);
        if (owned != null && owned.remove(path) && owned.isEmpty()) {
            ephemerals.remove(owner);
        }
    }

    /** createNode; false when the parent is missing or the node exists (then its ACL becomes {@code acl}). */
    boolean create(String path, byte[] data, List<Acl> acl, long ephemeralOwner, int parentCversion, long zxid,
                   long time) {
        ZkNode parent = nodes.get(parentOf(path));
        if (parent == null) {
            return false;
        }
        ZkNode existing = nodes.get(path);
        if (existing != null) {
            existing.acl = acl;
            return false;
        }
        int cversion = parentCversion == -1 ? parent.cversion + 1 : parentCversion;
        if (cversion > parent.cversion) {
            parent.cversion = cversion;
            parent.pzxid = zxid;
        }
        parent.children.add(nameOf(path));
        nodes.put(path, ZkNode.created(data, acl, ephemeralOwner, zxid, time));
        indexEphemeral(path, ephemeralOwner);
        return true;
    }

    /** The parent's side of a create replayed over a snapshot that holds the node already (setCversionPzxid). */
    void raiseCversion(String path, int cversion, long zxid) {
        ZkNode node = nodes.get(path);
        if (node == null) {
            return;
        }
        int target = cversion == -1 ? node.cversion + 1 : cversion;
        if (target > node.cversion) {
            node.cversion = target;
            node.pzxid = zxid;
        }
    }

    /** deleteNode: the parent forgets the child and takes the zxid as pzxid even when the child is missing. */
    void delete(String path, long zxid) {
        ZkNode parent = nodes.get(parentOf(path));
        if (parent == null) {
            return;
        }
        parent.children.remove(nameOf(path));
        if (zxid > parent.pzxid) {
            parent.pzxid = zxid;
        }
        remove(path);
    }

    /** Removes a node and, were there any (none in a consistent replay), its descendants. */
    private void remove(String path) {
        ZkNode node = nodes.remove(path);
        if (node == null) {
            return;
        }
        unindexEphemeral(path, node.ephemeralOwner);
        for (String name : node.children) {
            remove(path + "/" + name);
        }
    }

    void setData(String path, byte[] data, int version, long zxid, long time) {
        ZkNode node = nodes.get(path);
        if (node != null) {
            node.data = data;
            node.version = version;
            node.mzxid = zxid;
            node.mtime = time;
        }
    }

    void setAcl(String path, List<Acl> acl, int aversion) {
        ZkNode node = nodes.get(path);
        if (node != null) {
            node.acl = acl;
            node.aversion = aversion;
        }
    }

    /** The paths of a session's ephemerals, sorted (a copy). */
    List<String> ephemeralsOf(long sessionId) {
        Set<String> owned = ephemerals.get(sessionId);
        return owned == null ? List.of() : new ArrayList<>(owned);
    }

    /** The sessions that own ephemerals. */
    Set<Long> ephemeralOwners() {
        return Set.copyOf(ephemerals.keySet());
    }

    /** Every node, parents before their children (siblings in name order). */
    void forEachParentFirst(BiConsumer<String, ZkNode> visitor) {
        ArrayDeque<String> pending = new ArrayDeque<>();
        pending.add("/");
        while (!pending.isEmpty()) {
            String path = pending.poll();
            ZkNode node = nodes.get(path);
            visitor.accept(path, node);
            List<String> names = new ArrayList<>(node.children);
            Collections.sort(names);
            String prefix = path.equals("/") ? "/" : path + "/";
            for (String name : names) {
                pending.add(prefix + name);
            }
        }
    }

    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
