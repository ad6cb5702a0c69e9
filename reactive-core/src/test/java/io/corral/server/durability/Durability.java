package io.corral.server.durability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.corral.net.LoopbackPorts;
import io.corral.server.childjvm.FourLetterWordClient;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;

/** Small utilities shared by the durability tests. */
final class Durability {

    private Durability() {
    }

    /** A port free on 127.0.0.1 a moment ago, below the kernel's ephemeral range (the server binds it right after). */
    static int freePort() {
        return LoopbackPorts.reserve(1).get(0);
    }

    /** The value of one {@code mntr} key, e.g. {@code zk_znode_count}. */
    static long mntr(int port, String key) {
        String answer = FourLetterWordClient.ask(port, "mntr", Duration.ofSeconds(5));
        if (answer == null) {
            throw new AssertionError("no answer to mntr on port " + port);
        }
        for (String line : answer.split("\n")) {
            String[] kv = line.split("\t");
            if (kv.length == 2 && kv[0].equals(key)) {
                return Long.parseLong(kv[1].trim());
            }
        }
        throw new AssertionError("mntr has no " + key + ":\n" + answer);
    }

    /** What a client can observe of one znode. */
    record Node(String path, byte[] data, Stat stat, List<ACL> acl, List<String> children) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Node n && path.equals(n.path) && Arrays.equals(data, n.data) && stat.equals(n.stat)
                    && acl.equals(n.acl) && children.equals(n.children);
        }

        @Override
        public int hashCode() {
            return path.hashCode();
        }

        @Override
        public String toString() {
            return path + " data=" + (data == null ? "null" : "0x" + HexFormat.of().formatHex(data))
                    + " stat=" + stat.toString().trim().replace('\n', ' ') + " acl=" + acl + " children=" + children;
        }
    }

    /** getData + Stat, getACL and the sorted children of every node under (and including) {@code root}. */
    static Map<String, Node> dump(ZooKeeper zk, String root) throws KeeperException, InterruptedException {
        Map<String, Node> out = new TreeMap<>();
        List<String> stack = new ArrayList<>(List.of(root));
        while (!stack.isEmpty()) {
            String path = stack.remove(stack.size() - 1);
            Stat stat = new Stat();
            byte[] data = zk.getData(path, false, stat);
            Stat aclStat = new Stat();
            List<ACL> acl = zk.getACL(path, aclStat);
            if (!aclStat.equals(stat)) {
                throw new AssertionError(path + " changed while it was read: " + stat + " vs " + aclStat);
            }
            List<String> children = new ArrayList<>(zk.getChildren(path, false));
            children.sort(null);
            out.put(path, new Node(path, data, stat, acl, List.copyOf(children)));
            for (String child : children) {
                stack.add(path.equals("/") ? "/" + child : path + "/" + child);
            }
        }
        return out;
    }

    /** The greatest czxid, mzxid or pzxid of the given nodes. */
    static long maxZxid(Map<String, Node> nodes) {
        long max = 0;
        for (Node n : nodes.values()) {
            max = Math.max(max, Math.max(n.stat().getCzxid(), Math.max(n.stat().getMzxid(), n.stat().getPzxid())));
        }
        return max;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String utf8(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Lists a directory's file names, sorted (for failure messages). */
    static List<String> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of("(cannot list " + dir + ": " + e + ")");
        }
    }
}
