package io.corral.server.tree;

import io.corral.protocol.QuotaStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ZooKeeper's quotas as its data tree keeps them: a path is limited while {@code /zookeeper/quota<path>/zookeeper_limits}
 * exists, and the server keeps {@code .../zookeeper_stats} equal to the node count and data bytes of the subtree at
 * path (the node itself included). The stats node is rewritten in place, without a new version or zxid, as in
 * ZooKeeper; it is recounted from the tree when it is created and after a snapshot is loaded, and follows every
 * create, delete and setData below a limited path after that. The clients (zkCli's setquota) write the quota nodes;
 * the server only reacts to them. Sequencer thread only, like the tree.
 */
final class QuotaTracker {
    private static final Logger log = LoggerFactory.getLogger(QuotaTracker.class);
    private static final String QUOTA_PREFIX = QuotaStats.QUOTA_ROOT + "/";

    /** The limited paths (those whose limit node exists). */
    private final Set<String> limited = new HashSet<>();

    /** The deepest limited path at or above path, or null ({@code /} is never limited, as in ZooKeeper). */
    String limitedPrefixOf(String path) {
        if (limited.isEmpty()) {
            return null;
        }
        for (int end = path.length(); end > 0; end = path.lastIndexOf('/', end - 1)) {
            String prefix = end == path.length() ? path : path.substring(0, end);
            if (limited.contains(prefix)) {
                return prefix;
            }
        }
        return null;
    }

    Set<String> limitedPaths() {
        return Collections.unmodifiableSet(limited);
    }

    /** A node was created at path with data of that length. */
    void created(DataTree tree, String path, int dataLength) {
        String limitedPath = quotaNodeOwner(path, QuotaStats.LIMIT_NODE);
        if (limitedPath != null) {
            limited.add(limitedPath);
        }
        String counted = quotaNodeOwner(path, QuotaStats.STAT_NODE);
        if (counted != null) {
            recount(tree, counted);
        }
        String prefix = limitedPrefixOf(path);
        if (prefix != null) {
            add(tree, prefix, dataLength, 1);
        }
    }

    /** The node at path, with data of that length, was deleted. */
    void deleted(DataTree tree, String path, int dataLength) {
        String limitedPath = quotaNodeOwner(path, QuotaStats.LIMIT_NODE);
        if (limitedPath != null) {
            limited.remove(limitedPath);
        }
        String prefix = limitedPrefixOf(path);
        if (prefix != null) {
            add(tree, prefix, -dataLength, -1);
        }
    }

    /** The data of the node at path changed length. */
    void dataChanged(DataTree tree, String path, int oldLength, int newLength) {
        String prefix = limitedPrefixOf(path);
        if (prefix != null) {
            add(tree, prefix, newLength - oldLength, 0);
        }
    }

    /** After a snapshot is loaded: every leaf limit node under the quota root limits its path, recounted. */
    void rebuild(DataTree tree) {
        limited.clear();
        List<String> stack = new ArrayList<>();
        stack.add(QuotaStats.QUOTA_ROOT);
        while (!stack.isEmpty()) {
            String path = stack.remove(stack.size() - 1);
            DataNode node = tree.get(path);
            if (node == null) {
                continue;
            }
            List<String> children = node.children();
            if (children.isEmpty()) {
                String owner = quotaNodeOwner(path, QuotaStats.LIMIT_NODE);
                if (owner != null) {
                    recount(tree, owner);
                    limited.add(owner);
                }
            }
            for (String child : children) {
                stack.add(path + "/" + child);
            }
        }
    }

    void clear() {
        limited.clear();
    }

    /** Takes over the limited paths of another tree's tracker (a tree loaded before the server started). */
    void replaceWith(QuotaTracker loaded) {
        limited.clear();
        limited.addAll(loaded.limited);
    }

    /**
     * The limited path a quota node at {@code path} named {@code nodeName} belongs to
     * ({@code /zookeeper/quota/a/b/zookeeper_limits} belongs to {@code /a/b}), or null when path is no such node.
     */
    private static String quotaNodeOwner(String path, String nodeName) {
        if (!path.startsWith(QUOTA_PREFIX) || !path.endsWith(nodeName)) {
            return null;
        }
        int slash = path.length() - nodeName.length() - 1;
        if (slash <= QuotaStats.QUOTA_ROOT.length() || path.charAt(slash) != '/') {
            return null; // the quota root's own zookeeper_limits limits no path
        }
        return path.substring(QuotaStats.QUOTA_ROOT.length(), slash);
    }

    /** Sets the stats of prefix to the node count and data bytes of its subtree. */
    private static void recount(DataTree tree, String prefix) {
        long count = 0;
        long bytes = 0;
        List<String> stack = new ArrayList<>();
        stack.add(prefix);
        while (!stack.isEmpty()) {
            String path = stack.remove(stack.size() - 1);
            DataNode node = tree.get(path);
            if (node == null) {
                continue;
            }
            count++;
            bytes += node.data == null ? 0 : node.data.length;
            for (String child : node.children()) {
                stack.add(path + "/" + child);
            }
        }
        DataNode stat = tree.get(QuotaStats.statPath(prefix));
        if (stat == null) {
            log.warn("Missing quota stat node {}", QuotaStats.statPath(prefix));
            return;
        }
        stat.data = new QuotaStats().set(QuotaStats.BYTES, bytes).set(QuotaStats.COUNT, count).toBytes();
    }

    private static void add(DataTree tree, String prefix, long bytesDiff, int countDiff) {
        String statPath = QuotaStats.statPath(prefix);
        DataNode stat = tree.get(statPath);
        if (stat == null) {
            log.error("Missing node for stat {}", statPath);
            return;
        }
        QuotaStats stats;
        try {
            stats = QuotaStats.parse(stat.data);
        } catch (IllegalArgumentException e) {
            log.error("Quota stat node {} holds no quota figures; it is not updated: {}", statPath, e.getMessage());
            return;
        }
        stats.set(QuotaStats.COUNT, stats.count() + countDiff).set(QuotaStats.BYTES, stats.bytes() + bytesDiff);
        stat.data = stats.toBytes();
    }
}
