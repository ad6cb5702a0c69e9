package io.corral.server.stream;

import io.corral.protocol.EventType;
import io.corral.protocol.Stat;
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
 *
 * <p>Each change has the new Stat as far as the txn (with its zxid and time) determines it, {@link
 * StreamChange#UNKNOWN} elsewhere: the rest is the node's state before the txn, which neither the txn nor a log
 * that may have dropped the node's creation holds. A client that holds that state (a mirror) completes it.
 */
public final class TxnChanges {
    private static final int UNKNOWN = StreamChange.UNKNOWN;
    private static final Stat NOTHING = new Stat(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN,
            UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);

    private TxnChanges() {
    }

    /** Every change of the txn committed at zxid and time, with data; empty for sessions' own txns, failed writes and checks. */
    public static List<StreamChange> of(Txn txn, long zxid, long time) {
        List<StreamChange> changes = new ArrayList<>(2);
        add(txn, zxid, time, changes);
        return changes;
    }

    private static void add(Txn txn, long zxid, long time, List<StreamChange> out) {
        if (txn instanceof Txn.Create create) {
            long owner = EphemeralOwner.visible(create.ephemeralOwner());
            Stat stat = new Stat(zxid, zxid, time, time, 0, 0, 0, owner, length(create.data()), 0, zxid);
            out.add(new StreamChange(EventType.NODE_CREATED, create.path(), 0, owner, create.data(), stat));
            out.add(childrenChanged(create.path(), zxid, 1));
        } else if (txn instanceof Txn.Delete delete) {
            deleted(delete.path(), zxid, out);
        } else if (txn instanceof Txn.SetData setData) {
            Stat stat = new Stat(UNKNOWN, zxid, UNKNOWN, time, setData.version(), UNKNOWN, UNKNOWN, UNKNOWN,
                    length(setData.data()), UNKNOWN, UNKNOWN);
            out.add(new StreamChange(EventType.NODE_DATA_CHANGED, setData.path(), setData.version(), 0,
                    setData.data(), stat));
        } else if (txn instanceof Txn.SetAcl setAcl) {
            Stat stat = new Stat(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, setAcl.version(), UNKNOWN,
                    UNKNOWN, UNKNOWN, UNKNOWN);
            out.add(new StreamChange(EventType.NODE_ACL_CHANGED, setAcl.path(), setAcl.version(), 0, null, stat));
        } else if (txn instanceof Txn.CloseSession close) {
            for (String path : close.ephemeralsToDelete()) {
                deleted(path, zxid, out);
            }
        } else if (txn instanceof Txn.Multi multi && !multi.failed()) {
            for (Txn op : multi.ops()) {
                add(op, zxid, time, out);
            }
        }
    }

    private static void deleted(String path, long zxid, List<StreamChange> out) {
        out.add(new StreamChange(EventType.NODE_DELETED, path, UNKNOWN, 0, null, NOTHING));
        out.add(childrenChanged(path, zxid, -1));
    }

    /** The parent's pzxid is the txn's; its cversion and numChildren moved by one from values the txn lacks. */
    private static StreamChange childrenChanged(String path, long zxid, int delta) {
        Stat stat = new Stat(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN,
                UNKNOWN, zxid);
        return new StreamChange(EventType.NODE_CHILDREN_CHANGED, PathValidator.parent(path), UNKNOWN, 0, null, stat,
                delta);
    }

    private static int length(byte[] data) {
        return data == null ? 0 : data.length;
    }
}
