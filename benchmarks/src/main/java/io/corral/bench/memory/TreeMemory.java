package io.corral.bench.memory;

import io.corral.protocol.Acl;
import io.corral.server.tree.DataNode;
import io.corral.server.tree.DataTree;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Version;
import org.apache.zookeeper.ZooDefs;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.Locale;

/**
 * Live heap of a {@link DataTree} holding N znodes of S bytes, as the server holds them after a bulk load: every
 * node persistent, open ACL, its data a byte[] of its own (the decoded request's), named as the load tool's bulk
 * workload names them ({@code /corral-bench/bulk-<run>/n<i>}). Nothing else in the server grows per znode in that
 * load (no watches; pending changes are dropped once applied; the log is off-heap), so the tree's share is the
 * server's per-znode cost.
 *
 * <p>Run it in a fresh JVM: the heap used after full GCs (System.gc(), a full collection with G1 unless
 * -XX:+ExplicitGCInvokesConcurrent) before and after the load, the difference, and bytes per znode.
 *
 * <pre>
 * java -Xmx2g -cp benchmarks/target/benchmarks.jar io.corral.bench.memory.TreeMemory              # 1M x 100 B
 * java -Xmx2g -cp benchmarks/target/benchmarks.jar io.corral.bench.memory.TreeMemory --parents 1000
 * java -Xmx2g -cp benchmarks/target/benchmarks.jar io.corral.bench.memory.TreeMemory --tree zookeeper
 * </pre>
 *
 * {@code --parents P} spreads the znodes over P parents ({@code .../p<j>/n<i>}) instead of one;
 * {@code --sequential-names} names them as sequential znodes are named ({@code member-0000000042}); {@code --tree
 * zookeeper} loads Apache ZooKeeper 3.9.5's own DataTree the same way (its createNode, as its server applies a
 * create txn), for the reference figure. {@link io.corral.bench.compare.TreeMemoryReport} runs both and writes
 * the section of RESULTS.md; it reads the lines this prints.
 */
public final class TreeMemory {
    private TreeMemory() {
    }

    public static void main(String[] args) {
        int nodes = 1_000_000;
        int size = 100;
        int parents = 1;
        String kind = "corral";
        boolean sequentialNames = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--parents" -> parents = Integer.parseInt(args[++i]);
                case "--tree" -> kind = args[++i];
                case "--sequential-names" -> sequentialNames = true;
                default -> {
                    System.err.println("usage: TreeMemory [--nodes N] [--size BYTES] [--parents P] "
                            + "[--tree corral|zookeeper] [--sequential-names]");
                    System.exit(2);
                }
            }
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = liveHeap(memory);

        Tree tree = kind.equals("zookeeper") ? new ZooKeeperTree() : new CorralTree();
        String root = "/corral-bench";
        String bulk = root + "/bulk-" + Long.toString(0x1234_5678_9abcL, 36);
        tree.create(root, new byte[0]);
        tree.create(bulk, new byte[0]);
        String[] parentPaths = new String[parents];
        for (int p = 0; p < parents; p++) {
            parentPaths[p] = parents == 1 ? bulk : bulk + "/p" + p;
            if (parents > 1) {
                tree.create(parentPaths[p], new byte[0]);
            }
        }
        for (int i = 0; i < nodes; i++) {
            byte[] data = new byte[size];
            Arrays.fill(data, (byte) 'x');
            String name = sequentialNames ? String.format(Locale.ROOT, "member-%010d", i) : "n" + i;
            tree.create(parentPaths[i % parents] + "/" + name, data);
        }
        long after = liveHeap(memory);
        long grown = after - before;
        System.out.printf(Locale.ROOT, "tree: %s%n", tree.title());
        System.out.printf(Locale.ROOT, "znodes: %,d of %d B under %,d parent(s), named %s; tree holds %,d nodes%n",
                nodes, size, parents, sequentialNames ? "member-0000000000 on" : "n0 on", tree.nodeCount());
        System.out.printf(Locale.ROOT, "live heap before: %,.1f MB, after: %,.1f MB, grown: %,.1f MB%n",
                mb(before), mb(after), mb(grown));
        System.out.printf(Locale.ROOT, "bytes per znode: %,.1f (data array alone: %d)%n", (double) grown / nodes,
                arrayBytes(size));
        Reference.reachabilityFence(tree);
    }

    /** A tree loaded the way its server applies create txns. */
    private interface Tree {
        void create(String path, byte[] data);

        int nodeCount();

        String title();
    }

    private static final class CorralTree implements Tree {
        private final DataTree tree = new DataTree();
        private long zxid;

        @Override
        public void create(String path, byte[] data) {
            int slash = path.lastIndexOf('/');
            DataNode parent = tree.get(slash == 0 ? "/" : path.substring(0, slash));
            tree.create(path, data, Acl.OPEN_ACL_UNSAFE, 0, parent.childCreations() + 1, ++zxid,
                    1_700_000_000_000L + zxid);
        }

        @Override
        public int nodeCount() {
            return tree.nodeCount();
        }

        @Override
        public String title() {
            return "Corral " + DataTree.class.getName();
        }
    }

    private static final class ZooKeeperTree implements Tree {
        private final org.apache.zookeeper.server.DataTree tree = new org.apache.zookeeper.server.DataTree();
        private long zxid;

        @Override
        public void create(String path, byte[] data) {
            try {
                // parentCVersion -1: the parent's cversion + 1, as ZooKeeper's server computes it for a create
                tree.createNode(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, 0, -1, ++zxid, 1_700_000_000_000L + zxid);
            } catch (KeeperException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int nodeCount() {
            return tree.getNodeCount();
        }

        @Override
        public String title() {
            return "Apache ZooKeeper " + Version.getVersion() + " " + tree.getClass().getName();
        }
    }

    /** Heap used after full collections, repeated until it stops shrinking. */
    private static long liveHeap(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }

    /** A byte[] of that length with compressed class pointers: 16 B header, 8 B alignment. */
    private static long arrayBytes(int length) {
        return (16L + length + 7) / 8 * 8;
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
