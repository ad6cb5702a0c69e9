package io.corral.bench.jmh;

import io.corral.protocol.Acl;
import io.corral.protocol.Stat;
import io.corral.server.tree.DataNode;
import io.corral.server.tree.DataTree;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The in-memory tree at 1k, 100k and 1M znodes (100 B each) under one parent, {@code /b}: point operations on a
 * random existing node (getData with its Stat, setData), a create followed by a delete (so the tree keeps its
 * size), and listing the children, both of the big parent (O(n)) and of a parent with 10 children (to show the
 * tree's size does not leak into small listings). Setup builds the tree once per fork: about a second at 1M.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class DataTreeBenchmark {

    @Param({"1000", "100000", "1000000"})
    public int nodes;

    /** zookeeper.digest.enabled: the tree keeps ZooKeeper's digest as it changes (a CRC per changed node). */
    @Param({"true"})
    public boolean digest;

    private static final int MASK = (1 << 16) - 1;

    private DataTree tree;
    private byte[] data;
    /** Paths of random existing nodes, visited in turn (a power of two of them, so the index wraps cheaply). */
    private String[] randomPaths;
    /** The same paths in UTF-8, as requests carry them. */
    private byte[][] randomPathBytes;
    private int next;
    private long zxid;
    private int version;

    @Setup(Level.Trial)
    public void build() {
        tree = new DataTree();
        if (!digest) {
            tree.disableDigest();
        }
        data = new byte[100];
        Arrays.fill(data, (byte) 'x');
        long time = System.currentTimeMillis();
        tree.create("/b", data, Acl.OPEN_ACL_UNSAFE, 0, 0, ++zxid, time);
        for (int i = 0; i < nodes; i++) {
            tree.create("/b/n" + i, data, Acl.OPEN_ACL_UNSAFE, 0, i + 1, ++zxid, time);
        }
        tree.create("/small", data, Acl.OPEN_ACL_UNSAFE, 0, 0, ++zxid, time);
        for (int i = 0; i < 10; i++) {
            tree.create("/small/c" + i, data, Acl.OPEN_ACL_UNSAFE, 0, i + 1, ++zxid, time);
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        randomPaths = new String[MASK + 1];
        for (int i = 0; i < randomPaths.length; i++) {
            randomPaths[i] = "/b/n" + random.nextInt(nodes);
        }
        randomPathBytes = new byte[randomPaths.length][];
        for (int i = 0; i < randomPaths.length; i++) {
            randomPathBytes[i] = randomPaths[i].getBytes(StandardCharsets.UTF_8);
        }
    }

    private String nextPath() {
        return randomPaths[next++ & MASK];
    }

    /** What a getData reads: the node's data and a fresh Stat. */
    @Benchmark
    public Stat getData() {
        DataNode node = tree.get(nextPath());
        return node.stat();
    }

    /**
     * getData as a request reaches the tree: the path a String just decoded from the request's bytes, whose hash
     * nobody has computed yet (in {@link #getData} the same 65,536 String objects come back, their hashes cached).
     */
    @Benchmark
    public Stat getDataDecodedPath() {
        DataNode node = tree.get(new String(randomPathBytes[next++ & MASK], StandardCharsets.UTF_8));
        return node.stat();
    }

    /** Applying a setData txn, and the Stat of its reply. */
    @Benchmark
    public Stat setData() {
        return tree.setData(nextPath(), data, ++version, ++zxid, 1_700_000_000_000L).stat();
    }

    /** Applying a create txn and then a delete txn of the same (new) node. */
    @Benchmark
    public DataNode createThenDelete() {
        String path = "/b/t" + zxid;
        int cversion = tree.get("/b").childCreations() + 1;
        tree.create(path, data, Acl.OPEN_ACL_UNSAFE, 0, cversion, ++zxid, 1_700_000_000_000L);
        return tree.delete(path, ++zxid);
    }

    /** getChildren of the parent of every node: the list of names the reply needs (a new one per call). */
    @Benchmark
    public List<String> getChildrenOfBigParent() {
        return tree.get("/b").children();
    }

    /** getChildren of a 10-child node in a tree of {@link #nodes} znodes. */
    @Benchmark
    public List<String> getChildrenOfSmallParent() {
        return tree.get("/small").children();
    }
}
