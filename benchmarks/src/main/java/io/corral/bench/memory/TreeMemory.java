package io.corral.bench.memory;

import io.corral.protocol.Acl;
import io.corral.server.tree.DataNode;
import io.corral.server.tree.DataTree;

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
 * </pre>
 *
 * {@code --parents P} spreads the znodes over P parents ({@code .../p<j>/n<i>}) instead of one.
 */
public final class TreeMemory {
    private TreeMemory() {
    }

    public static void main(String[] args) {
        int nodes = 1_000_000;
        int size = 100;
        int parents = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--parents" -> parents = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: TreeMemory [--nodes N] [--size BYTES] [--parents P]");
                    System.exit(2);
                }
            }
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = liveHeap(memory);

        DataTree tree = new DataTree();
        long zxid = 0;
        long time = 1_700_000_000_000L;
        String root = "/corral-bench";
        String bulk = root + "/bulk-" + Long.toString(0x1234_5678_9abcL, 36);
        tree.create(root, new byte[0], Acl.OPEN_ACL_UNSAFE, 0, 1, ++zxid, time);
        tree.create(bulk, new byte[0], Acl.OPEN_ACL_UNSAFE, 0, 1, ++zxid, time);
        String[] parentPaths = new String[parents];
        for (int p = 0; p < parents; p++) {
            parentPaths[p] = parents == 1 ? bulk : bulk + "/p" + p;
            if (parents > 1) {
                tree.create(parentPaths[p], new byte[0], Acl.OPEN_ACL_UNSAFE, 0, p + 1, ++zxid, time);
            }
        }
        for (int i = 0; i < nodes; i++) {
            byte[] data = new byte[size];
            Arrays.fill(data, (byte) 'x');
            String parent = parentPaths[i % parents];
            DataNode parentNode = tree.get(parent);
            tree.create(parent + "/n" + i, data, Acl.OPEN_ACL_UNSAFE, 0, parentNode.childCreations() + 1, ++zxid,
                    time + i);
        }
        long after = liveHeap(memory);
        long grown = after - before;
        System.out.printf(Locale.ROOT, "znodes: %,d of %d B under %,d parent(s); tree holds %,d nodes%n", nodes,
                size, parents, tree.nodeCount());
        System.out.printf(Locale.ROOT, "live heap before: %,.1f MB, after: %,.1f MB, grown: %,.1f MB%n",
                mb(before), mb(after), mb(grown));
        System.out.printf(Locale.ROOT, "bytes per znode: %,.1f (data array alone: %d)%n", (double) grown / nodes,
                arrayBytes(size));
        Reference.reachabilityFence(tree);
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
