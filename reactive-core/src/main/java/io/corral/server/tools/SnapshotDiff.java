package io.corral.server.tools;

import io.corral.server.snapshot.LoadedSnapshot;
import io.corral.server.snapshot.TreeSnapshot;
import io.corral.server.tree.DataNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The differences between two snapshots, as diff(1) shows lines: {@code - path} for a node only the first holds,
 * {@code + path} for one only the second holds, {@code ~ path: field a -> b, ...} for one both hold differently
 * (data, ACL or any persisted Stat field); then the sessions likewise.
 */
final class SnapshotDiff {
    private SnapshotDiff() {
    }

    /** Prints the differences; returns how many there are (0: the same tree and sessions). */
    static int print(LoadedSnapshot a, LoadedSnapshot b, PrintStream out) {
        Map<String, DataNode> first = nodes(a);
        Map<String, DataNode> second = nodes(b);
        int differences = 0;
        TreeSet<String> paths = new TreeSet<>(first.keySet());
        paths.addAll(second.keySet());
        for (String path : paths) {
            DataNode x = first.get(path);
            DataNode y = second.get(path);
            if (y == null) {
                out.println("- " + path);
                differences++;
            } else if (x == null) {
                out.println("+ " + path);
                differences++;
            } else {
                List<String> changes = changes(x, y);
                if (!changes.isEmpty()) {
                    out.println("~ " + path + ": " + String.join(", ", changes));
                    differences++;
                }
            }
        }
        differences += sessions(a, b, out);
        out.println(differences == 0 ? "Same tree and sessions (" + first.size() + " nodes)"
                : differences + " difference(s): zxid 0x" + Long.toHexString(a.zxid()) + " (" + first.size()
                        + " nodes) vs 0x" + Long.toHexString(b.zxid()) + " (" + second.size() + " nodes)");
        return differences;
    }

    private static Map<String, DataNode> nodes(LoadedSnapshot snapshot) {
        Map<String, DataNode> nodes = new TreeMap<>();
        TreeWalk.forEach(snapshot.tree(), nodes::put);
        return nodes;
    }

    private static List<String> changes(DataNode x, DataNode y) {
        List<String> changes = new ArrayList<>();
        if (!Arrays.equals(x.data(), y.data())) {
            changes.add("data " + length(x.data()) + " -> " + length(y.data()));
        }
        if (!x.acl().equals(y.acl())) {
            changes.add("acl " + SnapshotText.describe(x.acl()) + " -> " + SnapshotText.describe(y.acl()));
        }
        hex(changes, "czxid", x.czxid(), y.czxid());
        hex(changes, "mzxid", x.mzxid(), y.mzxid());
        hex(changes, "pzxid", x.pzxid(), y.pzxid());
        number(changes, "ctime", x.ctime(), y.ctime());
        number(changes, "mtime", x.mtime(), y.mtime());
        number(changes, "version", x.version(), y.version());
        number(changes, "cversion", x.childCreations(), y.childCreations());
        number(changes, "aversion", x.aversion(), y.aversion());
        hex(changes, "ephemeralOwner", x.ephemeralOwner(), y.ephemeralOwner());
        return changes;
    }

    private static int sessions(LoadedSnapshot a, LoadedSnapshot b, PrintStream out) {
        Map<Long, Integer> first = timeouts(a);
        Map<Long, Integer> second = timeouts(b);
        TreeSet<Long> ids = new TreeSet<>(first.keySet());
        ids.addAll(second.keySet());
        int differences = 0;
        for (long id : ids) {
            Integer x = first.get(id);
            Integer y = second.get(id);
            if (!Objects.equals(x, y)) {
                out.println((y == null ? "- session 0x" : x == null ? "+ session 0x" : "~ session 0x")
                        + Long.toHexString(id) + (x != null && y != null ? ": timeout " + x + " -> " + y : ""));
                differences++;
            }
        }
        return differences;
    }

    private static Map<Long, Integer> timeouts(LoadedSnapshot snapshot) {
        Map<Long, Integer> timeouts = new TreeMap<>();
        for (TreeSnapshot.RestoredSession s : snapshot.sessions()) {
            timeouts.put(s.id(), s.timeout());
        }
        return timeouts;
    }

    private static String length(byte[] data) {
        return data == null ? "null" : data.length + " bytes";
    }

    private static void hex(List<String> changes, String field, long x, long y) {
        if (x != y) {
            changes.add(field + " 0x" + Long.toHexString(x) + " -> 0x" + Long.toHexString(y));
        }
    }

    private static void number(List<String> changes, String field, long x, long y) {
        if (x != y) {
            changes.add(field + " " + x + " -> " + y);
        }
    }
}
