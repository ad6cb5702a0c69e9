package io.corral.server.sequencer;

import io.corral.server.tree.DataNode;
import io.corral.server.tree.DataTree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes of txns that are validated but not yet applied to the tree (waiting for durability or a quorum).
 * Validation reads through this overlay, so a write is checked against every write ordered before it.
 */
final class PendingChanges {
    private final DataTree tree;
    private final Map<String, NodeRecord> latest = new HashMap<>();
    private final ArrayDeque<NodeRecord> inOrder = new ArrayDeque<>();

    PendingChanges(DataTree tree) {
        this.tree = tree;
    }

    /** The node at path as of every validated txn, or null when it does not exist. */
    NodeRecord lookup(String path) {
        NodeRecord record = latest.isEmpty() ? null : latest.get(path);
        if (record != null) {
            return record.exists() ? record : null;
        }
        DataNode node = tree.get(path);
        return node == null ? null : NodeRecord.of(path, node);
    }

    void add(NodeRecord record) {
        latest.put(record.path(), record);
        inOrder.addLast(record);
    }

    /** A mark to roll back to when a multi fails part-way. */
    int mark() {
        return inOrder.size();
    }

    /** Drops every record added since mark, restoring the records they shadowed. */
    void rollback(int mark) {
        List<NodeRecord> undone = new ArrayList<>();
        while (inOrder.size() > mark) {
            undone.add(inOrder.pollLast());
        }
        for (NodeRecord record : undone) {
            latest.remove(record.path());
        }
        // re-expose the newest remaining record of each path that was shadowed
        for (NodeRecord record : inOrder) {
            for (NodeRecord gone : undone) {
                if (gone.path().equals(record.path())) {
                    latest.put(record.path(), record);
                }
            }
        }
    }

    /** Forgets the records of txns up to zxid: the tree now holds their effect. */
    void applied(long zxid) {
        while (!inOrder.isEmpty() && inOrder.peekFirst().zxid() <= zxid) {
            NodeRecord record = inOrder.pollFirst();
            if (latest.get(record.path()) == record) {
                latest.remove(record.path());
            }
        }
    }

    /** Records of pending ephemerals of a session, created or deleted, for closeSession. */
    List<NodeRecord> pendingOfOwner(long owner) {
        List<NodeRecord> result = new ArrayList<>();
        for (NodeRecord record : latest.values()) {
            if (record.ephemeralOwner() == owner) {
                result.add(record);
            }
        }
        return result;
    }

    /** Forgets every pending change (the server changed role; its pending txns will be re-learned or dropped). */
    void clear() {
        latest.clear();
        inOrder.clear();
    }

    boolean isEmpty() {
        return inOrder.isEmpty();
    }
}
