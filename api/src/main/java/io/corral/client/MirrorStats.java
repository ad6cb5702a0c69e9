package io.corral.client;

import io.corral.protocol.EventType;
import io.corral.protocol.Stat;

import java.util.HashMap;
import java.util.Map;

/**
 * The Stat of every node of a mirrored subtree, so that each change of a mirror has its node's whole new Stat: the
 * server sends what the txn determines (StreamChange#stat), and the rest is the node's Stat before, which the
 * mirror's snapshot and its earlier changes gave (a mirror of one node, or of a node's children, too). On the
 * client's actor; one entry per node the mirror covers, by the path the client sees.
 */
final class MirrorStats {
    private final Map<String, Stat> stats = new HashMap<>();

    /**
     * The new Stat of a change ({@code type}, on {@code path}, with the Stat the server {@code sent}
     * and its {@code childDelta}); null for NODE_DELETED and when the server sent none.
     */
    Stat complete(int type, String path, Stat sent, int childDelta) {
        if (sent == null) {
            return null;
        }
        if (type == EventType.NODE_CREATED) {
            stats.put(path, sent);
            return sent;
        }
        if (type == EventType.NODE_DELETED) {
            stats.remove(path);
            return null;
        }
        Stat before = stats.get(path);
        if (before == null) {
            return sent; // not in the mirror's snapshot (cannot happen in a subtree): what the txn determines
        }
        Stat after = switch (type) {
            case EventType.NODE_DATA_CHANGED -> new Stat(before.czxid(), sent.mzxid(), before.ctime(), sent.mtime(),
                    sent.version(), before.cversion(), before.aversion(), before.ephemeralOwner(), sent.dataLength(),
                    before.numChildren(), before.pzxid());
            case EventType.NODE_ACL_CHANGED -> new Stat(before.czxid(), before.mzxid(), before.ctime(),
                    before.mtime(), before.version(), before.cversion(), sent.aversion(), before.ephemeralOwner(),
                    before.dataLength(), before.numChildren(), before.pzxid());
            case EventType.NODE_CHILDREN_CHANGED -> childrenChanged(before, sent, childDelta);
            default -> null;
        };
        if (after == null) {
            return sent;
        }
        stats.put(path, after);
        return after;
    }

    /** A child created or deleted: cversion moves by one either way, numChildren as the server says. */
    private static Stat childrenChanged(Stat before, Stat sent, int delta) {
        if (delta == 0) {
            return null;
        }
        return new Stat(before.czxid(), before.mzxid(), before.ctime(), before.mtime(), before.version(),
                before.cversion() + 1, before.aversion(), before.ephemeralOwner(), before.dataLength(),
                before.numChildren() + delta, sent.pzxid());
    }
}
