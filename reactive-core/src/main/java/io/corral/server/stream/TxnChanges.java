package io.corral.server.stream;

import io.corral.protocol.EventType;
import io.corral.protocol.StreamChange;
import io.corral.server.tree.PathValidator;
import io.corral.server.txn.EphemeralOwner;
import io.corral.server.txn.Txn;

import java.util.ArrayList;
import java.util.List;

/**
 * The changes a committed txn makes, as a resumable stream reports them: worked out from the txn alone, so the live
 * stream and the history read back from the log give the same events for the same zxid. In the order the commit
 * applies them, which is the order ZooKeeper fires the watches in (the node first, then its parent's children).
 */
public final class TxnChanges {
    private static final int UNKNOWN = -1;

    private TxnChanges() {
    }

    /** Every change of the txn, with data; empty for sessions' own txns, failed writes and checks. */
    public static List<StreamChange> of(Txn txn) {
        List<StreamChange> changes = new ArrayList<>(2);
        add(txn, changes);
        return changes;
    }

    private static void add(Txn txn, List<StreamChange> out) {
        if (txn instanceof Txn.Create create) {
            out.add(new StreamChange(EventType.NODE_CREATED, create.path(), 0,
                    EphemeralOwner.visible(create.ephemeralOwner()), create.data()));
            out.add(childrenChanged(create.path()));
        } else if (txn instanceof Txn.Delete delete) {
            deleted(delete.path(), out);
        } else if (txn instanceof Txn.SetData setData) {
            out.add(new StreamChange(EventType.NODE_DATA_CHANGED, setData.path(), setData.version(), 0,
                    setData.data()));
        } else if (txn instanceof Txn.SetAcl setAcl) {
            out.add(new StreamChange(EventType.NODE_ACL_CHANGED, setAcl.path(), setAcl.version(), 0, null));
        } else if (txn instanceof Txn.CloseSession close) {
            for (String path : close.ephemeralsToDelete()) {
                deleted(path, out);
            }
        } else if (txn instanceof Txn.Multi multi && !multi.failed()) {
            for (Txn op : multi.ops()) {
                add(op, out);
            }
        }
    }

    private static void deleted(String path, List<StreamChange> out) {
        out.add(new StreamChange(EventType.NODE_DELETED, path, UNKNOWN, 0, null));
        out.add(childrenChanged(path));
    }

    private static StreamChange childrenChanged(String path) {
        return new StreamChange(EventType.NODE_CHILDREN_CHANGED, PathValidator.parent(path), UNKNOWN, 0, null);
    }
}
