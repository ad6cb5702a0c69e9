package io.corral.server.importer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What an import read, skipped, checked and wrote, printed for the operator. */
final class ImportReport {
    /** One txn log file as read. */
    record LogFile(Path file, long firstZxid, long lastZxid, int txns, int applied, long tornAt, String tornReason) {
    }

    final List<String> skippedSnapshots = new ArrayList<>();
    final List<LogFile> logFiles = new ArrayList<>();
    ZkSnapshot snapshot;
    long lastZxid;
    int txnsApplied;
    String digestCheck = "not checked: ZooKeeper recorded no tree digest for the last zxid (digest disabled?)";
    List<String> orphanEphemerals = List.of();
    TreeFingerprint fingerprint;
    int sessions;
    Path written;
    Path emptyLastLog;
    String phases;

    void print(PrintStream out) {
        out.println("ZooKeeper snapshot: " + snapshot.file() + " (zxid 0x" + Long.toHexString(snapshot.zxid())
                + compression() + ", " + snapshot.tree().nodeCount() + " nodes, " + snapshot.sessions().size()
                + " sessions, " + snapshot.aclLists() + " ACL lists)");
        for (String skipped : skippedSnapshots) {
            out.println("  skipped snapshot (not valid): " + skipped);
        }
        for (LogFile log : logFiles) {
            String range = log.txns == 0 ? "no txns" : log.txns + " txns, zxids 0x" + Long.toHexString(log.firstZxid)
                    + "..0x" + Long.toHexString(log.lastZxid) + ", " + log.applied + " after the snapshot";
            out.println("ZooKeeper txn log: " + log.file + " (" + range + ")");
            if (log.tornAt >= 0) {
                out.println("  torn tail at offset " + log.tornAt + " (" + log.tornReason
                        + "): a crash mid-write; ignored, as ZooKeeper ignores it");
            }
        }
        if (emptyLastLog != null) {
            out.println("ZooKeeper txn log: " + emptyLastLog + " is empty (a crash before its header; ZooKeeper "
                    + "deletes it when it starts): skipped");
        }
        out.println("Replayed " + txnsApplied + " txns; the tree is at zxid 0x" + Long.toHexString(lastZxid));
        out.println("Digest: " + digestCheck);
        if (!orphanEphemerals.isEmpty()) {
            out.println("Removed " + orphanEphemerals.size() + " ephemerals of sessions that no longer exist (as "
                    + "ZooKeeper does when it loads): " + orphanEphemerals);
        }
        out.println("Imported: " + fingerprint + ", " + sessions + " sessions");
        out.println("Verified: the written snapshot loads back with the same node count and digests");
        out.println("Wrote " + written + " (" + phases + ")");
    }

    private String compression() {
        String c = ZkSnapshotFiles.compressionOf(snapshot.file());
        return c.isEmpty() ? "" : ", " + c;
    }
}
