package io.corral.server.importer;

import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every node a server serves, read through the official client: data, Stat and ACL per path, in a form two servers'
 * answers can be compared by (equal maps, readable differences).
 */
public final class ServedTree {
    private ServedTree() {
    }

    /** Path to "data | stat | acl" for every node reachable from the root; the client must be allowed to read all. */
    public static Map<String, String> read(ZooKeeper zk) throws Exception {
        Map<String, String> nodes = new TreeMap<>();
        ArrayDeque<String> pending = new ArrayDeque<>();
        pending.add("/");
        while (!pending.isEmpty()) {
            String path = pending.poll();
            Stat stat = new Stat();
            byte[] data = zk.getData(path, false, stat);
            List<ACL> acl = zk.getACL(path, new Stat());
            nodes.put(path, (data == null ? "null" : Base64.getEncoder().encodeToString(data)) + " | " + describe(stat)
                    + " | " + acl);
            List<String> children = new ArrayList<>(zk.getChildren(path, false));
            Collections.sort(children);
            for (String child : children) {
                pending.add(path.equals("/") ? "/" + child : path + "/" + child);
            }
        }
        return nodes;
    }

    private static String describe(Stat s) {
        return "czxid=" + s.getCzxid() + " mzxid=" + s.getMzxid() + " ctime=" + s.getCtime() + " mtime="
                + s.getMtime() + " version=" + s.getVersion() + " cversion=" + s.getCversion() + " aversion="
                + s.getAversion() + " ephemeralOwner=" + s.getEphemeralOwner() + " dataLength=" + s.getDataLength()
                + " numChildren=" + s.getNumChildren() + " pzxid=" + s.getPzxid();
    }
}
