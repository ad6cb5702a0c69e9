package io.corral.server.tools;

import io.corral.protocol.Acl;
import io.corral.server.snapshot.LoadedSnapshot;
import io.corral.server.snapshot.TreeSnapshot;
import io.corral.server.tree.DataNode;

import java.io.PrintStream;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * A snapshot as text, laid out as ZooKeeper's {@code zkSnapShotToolkit.sh} prints one: each node with its persisted
 * Stat (the cversion is the count of child creations, as ZooKeeper persists it), the sessions with their ephemeral
 * counts, the last zxid. With data, each node's data (Base64) and, Corral's addition, its ACL.
 */
final class SnapshotText {
    private SnapshotText() {
    }

    static void print(LoadedSnapshot snapshot, boolean withData, PrintStream out) {
        out.printf("ZNode Details (count=%d):%n", snapshot.tree().nodeCount());
        TreeWalk.forEach(snapshot.tree(), (path, node) -> printNode(path, node, withData, out));
        out.println("----");
        out.println("Session Details (sid, timeout, ephemeralCount):");
        for (TreeSnapshot.RestoredSession s : snapshot.sessions()) {
            out.printf("%#016x, %d, %d%n", s.id(), s.timeout(), snapshot.tree().ephemeralsOf(s.id()).size());
        }
        out.println("----");
        out.println("Last zxid: 0x" + Long.toHexString(snapshot.zxid()));
    }

    private static void printNode(String path, DataNode n, boolean withData, PrintStream out) {
        out.println("----");
        out.println(path);
        hex(out, "cZxid", n.czxid());
        out.println("  ctime = " + new Date(n.ctime()));
        hex(out, "mZxid", n.mzxid());
        out.println("  mtime = " + new Date(n.mtime()));
        hex(out, "pZxid", n.pzxid());
        out.println("  cversion = " + n.childCreations());
        out.println("  dataVersion = " + n.version());
        out.println("  aclVersion = " + n.aversion());
        hex(out, "ephemeralOwner", n.ephemeralOwner());
        byte[] data = n.data();
        if (withData) {
            out.println("  data = " + (data == null ? "" : Base64.getEncoder().encodeToString(data)));
            out.println("  acl = " + describe(n.acl()));
        } else {
            out.println("  dataLength = " + (data == null ? 0 : data.length));
        }
    }

    static String describe(List<Acl> acl) {
        StringBuilder s = new StringBuilder("[");
        for (Acl entry : acl) {
            if (s.length() > 1) {
                s.append(", ");
            }
            s.append(entry.id().scheme()).append(':').append(entry.id().id()).append(':').append(entry.perms());
        }
        return s.append(']').toString();
    }

    private static void hex(PrintStream out, String name, long value) {
        out.printf("  %s = %#016x%n", name, value);
    }
}
