package io.corral.bench.jmh;

import io.corral.log.SnapshotFile;
import io.corral.protocol.Acl;
import io.corral.server.session.SessionTracker;
import io.corral.server.snapshot.LoadedSnapshot;
import io.corral.server.snapshot.TreeSnapshot;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Writing and loading a snapshot of {@code nodes} znodes of 100 bytes ({@code childrenPerParent} children per
 * parent): {@code write} serialises the whole tree in slices as the server does and writes the file with its
 * checksum and fsync; {@code load} loads it into a fresh tree as start-up does ({@link LoadedSnapshot}: one pass
 * over the file, its checksum computed on the way, frames checked and parsed on decoder threads while the tree is
 * built). The file size is printed at the end of each trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class SnapshotBenchmark {

    @Param({"1000000"})
    public int nodes;

    /** 100: a tree of many small directories; 1,000,000: one flat directory, as a bulk load of sequential names. */
    @Param({"100", "1000000"})
    public int childrenPerParent;

    private Path dir;
    private DataTree tree;
    private SessionTracker sessions;
    private Path written;

    @Setup(Level.Trial)
    public void build() throws IOException {
        dir = Files.createTempDirectory("corral-jmh-snapshot");
        tree = new DataTree();
        sessions = new SessionTracker(2000, 1, System.currentTimeMillis());
        byte[] data = new byte[100];
        Arrays.fill(data, (byte) 'x');
        long zxid = 0;
        long time = System.currentTimeMillis();
        int parents = Math.max(1, nodes / childrenPerParent);
        for (int p = 0; p < parents; p++) {
            tree.create("/p" + p, data, Acl.OPEN_ACL_UNSAFE, 0, p + 1, ++zxid, time);
        }
        for (int i = 0; tree.nodeCount() < nodes + 4; i++) {
            String parent = "/p" + (i % parents);
            tree.create(parent + "/n" + i, data, Acl.OPEN_ACL_UNSAFE, 0, i / parents + 1, ++zxid, time);
        }
        tree.setLastAppliedZxid(zxid);
        written = write();
    }

    @Benchmark
    public Path write() throws IOException {
        TreeSnapshot snapshot = new TreeSnapshot(tree, sessions, tree.lastAppliedZxid());
        return SnapshotFile.write(dir, tree.lastAppliedZxid(), out -> {
            byte[] slice;
            while ((slice = snapshot.nextChunk(4096)) != null) {
                out.write(slice);
            }
        });
    }

    @Benchmark
    public DataTree load() {
        return LoadedSnapshot.load(dir).tree();
    }

    @TearDown(Level.Trial)
    public void report() throws IOException {
        System.out.printf("%nsnapshot of %,d znodes: %,d bytes%n", tree.nodeCount(), Files.size(written));
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
