package io.corral.server.tools;

import io.corral.log.LogEntry;
import io.corral.server.txn.EphemeralOwner;
import io.corral.server.txn.Txn;
import io.corral.server.txn.TxnCodec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One txn of Corral's log as a line, in the manner of ZooKeeper's {@code zkTxnLogToolkit.sh}: time, session, cxid,
 * zxid, the txn's kind and its fields.
 */
final class TxnText {
    private TxnText() {
    }

    static String of(LogEntry entry) {
        String txn;
        try {
            txn = describe(TxnCodec.decode(entry.body()));
        } catch (RuntimeException e) {
            txn = "undecodable body (" + entry.body().length + " bytes): " + e.getMessage();
        }
        return Instant.ofEpochMilli(entry.time()) + " session 0x" + Long.toHexString(entry.sessionId()) + " cxid 0x"
                + Integer.toHexString(entry.cxid()) + " zxid 0x" + Long.toHexString(entry.zxid()) + " " + txn;
    }

    static String describe(Txn txn) {
        if (txn instanceof Txn.Create c) {
            return "create " + c.path() + " " + length(c.data()) + " " + SnapshotText.describe(c.acl()) + owner(
                    c.ephemeralOwner()) + " parentCversion=" + c.parentCversion();
        } else if (txn instanceof Txn.Delete d) {
            return "delete " + d.path();
        } else if (txn instanceof Txn.SetData s) {
            return "setData " + s.path() + " " + length(s.data()) + " version=" + s.version();
        } else if (txn instanceof Txn.SetAcl s) {
            return "setACL " + s.path() + " " + SnapshotText.describe(s.acl()) + " aversion=" + s.version();
        } else if (txn instanceof Txn.Check c) {
            return "check " + c.path();
        } else if (txn instanceof Txn.CreateSession s) {
            return "createSession timeout=" + s.timeout();
        } else if (txn instanceof Txn.CloseSession s) {
            return "closeSession ephemerals=" + s.ephemeralsToDelete();
        } else if (txn instanceof Txn.Error e) {
            return "error " + e.err();
        } else if (txn instanceof Txn.Multi m) {
            List<String> ops = new ArrayList<>();
            for (Txn op : m.ops()) {
                ops.add(describe(op));
            }
            return "multi" + (m.failed() ? " (failed)" : "") + " [" + String.join("; ", ops) + "]";
        }
        return txn.toString();
    }

    private static String length(byte[] data) {
        return data == null ? "data=null" : "data=" + data.length + " bytes";
    }

    private static String owner(long owner) {
        if (EphemeralOwner.isContainer(owner)) {
            return " container";
        }
        if (EphemeralOwner.isTtl(owner)) {
            return " ttl=" + EphemeralOwner.ttlOf(owner) + "ms";
        }
        return owner == 0 ? "" : " ephemeral of 0x" + Long.toHexString(owner);
    }
}
