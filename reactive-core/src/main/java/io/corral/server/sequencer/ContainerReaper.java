package io.corral.server.sequencer;

import io.corral.server.tree.DataNode;
import io.corral.server.tree.DataTree;
import io.corral.server.txn.EphemeralOwner;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds containers whose last child is gone and TTL nodes that outlived their ttl without a change or a child.
 * The sequencer deletes them with ordinary (internal) delete txns, so the deletions are logged, replicated and
 * fire watches like any other.
 */
final class ContainerReaper {
    private final DataTree tree;
    private final long maxNeverUsedIntervalMs;
    private final int maxPerRun;

    ContainerReaper(DataTree tree, long checkIntervalMs, int maxPerMinute, long maxNeverUsedIntervalMs) {
        this.tree = tree;
        this.maxNeverUsedIntervalMs = maxNeverUsedIntervalMs;
        this.maxPerRun = (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxPerMinute * checkIntervalMs / 60_000));
    }

    List<String> candidates(long now) {
        List<String> result = new ArrayList<>();
        for (String path : tree.containers()) {
            DataNode node = tree.get(path);
            if (node.numChildren() == 0 && (node.childCreations() > 0
                    || (maxNeverUsedIntervalMs > 0 && now - node.mtime() > maxNeverUsedIntervalMs))) {
                result.add(path);
                if (result.size() >= maxPerRun) {
                    return result;
                }
            }
        }
        for (String path : tree.ttlNodes()) {
            DataNode node = tree.get(path);
            if (node.numChildren() == 0 && now - node.mtime() > EphemeralOwner.ttlOf(node.ephemeralOwner())) {
                result.add(path);
                if (result.size() >= maxPerRun) {
                    return result;
                }
            }
        }
        return result;
    }
}
