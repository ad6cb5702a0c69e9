package io.corral.server.importer;

import java.util.List;
import java.util.Map;

/**
 * Applies ZooKeeper txns to a {@link ZkTree} and its sessions as ZooKeeper does when it loads its log over a
 * snapshot (FileTxnSnapLog's processTransaction and DataTree's processTxn): createSession and closeSession keep the
 * session table, a failed multi applies nothing, and a txn that no longer fits the fuzzy snapshot changes nothing
 * except what ZooKeeper changes then too (see {@link ZkTree}).
 */
final class ZkReplay {
    private final ZkTree tree;
    private final Map<Long, Integer> sessions;

    ZkReplay(ZkTree tree, Map<Long, Integer> sessions) {
        this.tree = tree;
        this.sessions = sessions;
    }

    void apply(ZkTxn txn) {
        ZkTxn.Body body = txn.body();
        if (body instanceof ZkTxn.CreateSession s) {
            sessions.put(txn.sessionId(), s.timeout());
        } else if (body instanceof ZkTxn.CloseSession c) {
            sessions.remove(txn.sessionId());
            closeSession(txn.sessionId(), c.paths(), txn.zxid());
        } else if (body instanceof ZkTxn.Multi m) {
            multi(txn, m.ops());
        } else {
            applyOp(txn.type(), body, txn.zxid(), txn.time());
        }
    }

    /** The listed paths first, then whatever else the session still owns (what 3.5's txn, listing none, means). */
    private void closeSession(long sessionId, List<String> listed, long zxid) {
        if (listed != null) {
            for (String path : listed) {
                tree.delete(path, zxid);
            }
        }
        for (String path : tree.ephemeralsOf(sessionId)) {
            tree.delete(path, zxid);
        }
    }

    private void multi(ZkTxn txn, List<ZkTxn.Op> ops) {
        for (ZkTxn.Op op : ops) {
            if (op.type() == ZkTxn.ERROR) {
                return; // failed: every op of it became an error, nothing was applied
            }
        }
        for (ZkTxn.Op op : ops) {
            applyOp(op.type(), op.body(), txn.zxid(), txn.time());
        }
    }

    private void applyOp(int type, ZkTxn.Body body, long zxid, long time) {
        if (body instanceof ZkTxn.Create c) {
            boolean created = tree.create(c.path(), c.data(), c.acl(), c.ephemeralOwner(), c.parentCversion(), zxid,
                    time);
            // ZooKeeper adjusts the parent only for a plain create that found the node already there
            if (!created && type == ZkTxn.CREATE && tree.get(c.path()) != null) {
                tree.raiseCversion(ZkTree.parentOf(c.path()), c.parentCversion(), zxid);
            }
        } else if (body instanceof ZkTxn.Delete d) {
            tree.delete(d.path(), zxid);
        } else if (body instanceof ZkTxn.SetData s) {
            tree.setData(s.path(), s.data(), s.version(), zxid, time);
        } else if (body instanceof ZkTxn.SetAcl s) {
            tree.setAcl(s.path(), s.acl(), s.version());
        } else if (!(body instanceof ZkTxn.Check) && !(body instanceof ZkTxn.Error)) {
            // a check or an error (a write that failed, consuming a zxid) changes nothing
            throw new IllegalArgumentException("txn type " + type + " cannot be applied as an op");
        }
    }
}
