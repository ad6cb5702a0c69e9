package io.corral.server.importer;

import io.corral.server.compat.CompatHarness;
import org.apache.zookeeper.server.persistence.SnapStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged, truncated and incomplete ZooKeeper data directories (copies of one that ZooKeeper 3.9.5 wrote): the
 * import fails with the file and offset, or falls back as ZooKeeper does, and never leaves anything behind.
 */
class DamagedZooKeeperFilesTest {
    private static Path written;
    private static ZooKeeperWrittenData zk;

    @TempDir
    Path tmp;

    @BeforeAll
    static void zooKeeperWrites() throws Exception {
        written = CompatHarness.newTempDir("zk-damaged-");
        zk = ZooKeeperWrittenData.write(written, SnapStream.StreamMode.CHECKED);
    }

    @AfterAll
    static void cleanUp() throws InterruptedException {
        zk.survivor().close(100);
        CompatHarness.deleteRecursively(written);
    }

    @Test
    void aRecordWithABadChecksumFailsNamingTheFileAndTheOffset() throws Exception {
        Path copy = copyOfWritten();
        Path newest = newest(logs(copy));
        long record = ZkTxnLogFile.HEADER_SIZE;
        flipByte(newest, record + 8 + 4 + 10); // inside the first record's txn bytes

        assertFailsWritingNothing(copy, newest + " at offset " + record, "Adler32 does not match",
                "nothing was written");
    }

    @Test
    void aDamagedNewestSnapshotIsSkippedForTheOneBeforeIt() throws Exception {
        Path copy = copyOfWritten();
        Path newest = newest(snapshots(copy));
        flipByte(newest, Files.size(newest) / 2);

        Result result = importFrom(copy);

        assertThat(result.status).as(result.err).isZero();
        assertThat(result.out).contains("skipped snapshot (not valid): " + newest)
                .contains("Imported: " + zk.served().size() + " nodes")
                .contains("Digest: matches the digest ZooKeeper recorded");
    }

    @Test
    void aTruncatedSnapshotIsSkipped() throws Exception {
        Path copy = copyOfWritten();
        Path newest = newest(snapshots(copy));
        try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }

        Result result = importFrom(copy);

        assertThat(result.status).as(result.err).isZero();
        assertThat(result.out).contains("skipped snapshot (not valid): " + newest).contains("truncated");
    }

    @Test
    void aLogCutInsideItsLastRecordIsATornTail() throws Exception {
        Path copy = copyOfWritten();
        Path newest = ZooKeeperWrittenData.newestLog(copy.resolve("zk-log"));
        long[] last = ZooKeeperWrittenData.lastRecord(newest);
        try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
            f.setLength(last[0] + (last[1] - last[0]) / 2); // the pre-allocated zeros went with it
        }

        Result result = importFrom(copy);

        assertThat(result.status).as(result.err).isZero();
        assertThat(result.out).contains("torn tail at offset " + last[0] + " (the file ends inside it)")
                .contains("Imported: " + zk.served().size() + " nodes"); // the lost txn: a closeSession
    }

    @Test
    void anEmptyLastLogFileIsSkippedAsZooKeeperSkipsIt() throws Exception {
        Path copy = copyOfWritten();
        Path newest = ZooKeeperWrittenData.newestLog(copy.resolve("zk-log"));
        long next = ZkSnapshotFiles.zxidOf(newest, ZkSnapshotFiles.LOG_PREFIX) + 1_000;
        Path empty = Files.createFile(newest.resolveSibling("log." + Long.toHexString(next)));

        Result result = importFrom(copy);

        assertThat(result.status).as(result.err).isZero();
        assertThat(result.out).contains(empty + " is empty").contains("Imported: " + zk.served().size() + " nodes");
    }

    @Test
    void aMissingLogFileInTheReplayFailsAsAGap() throws Exception {
        Path copy = copyOfWritten();
        List<Path> logs = logs(copy);
        Path missing = logs.get(logs.size() / 2);
        long missingFrom = ZkSnapshotFiles.zxidOf(missing, ZkSnapshotFiles.LOG_PREFIX);
        for (Path snapshot : snapshots(copy)) { // only snapshots older than the missing log: the replay crosses it
            if (ZkSnapshotFiles.zxidOf(snapshot, ZkSnapshotFiles.SNAPSHOT_PREFIX) >= missingFrom) {
                Files.delete(snapshot);
            }
        }
        Files.delete(missing);

        assertFailsWritingNothing(copy, "the txns between them are missing");
    }

    @Test
    void dataAfterTheEndOfALogIsDamage() throws Exception {
        Path copy = copyOfWritten();
        Path newest = newest(logs(copy));
        try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
            f.seek(f.length() - 1);
            f.write(7); // a stray byte in the pre-allocated zeros
        }

        assertFailsWritingNothing(copy, newest.toString(), "is followed by data");
    }

    @Test
    void aTargetThatIsNotEmptyIsRefused() throws Exception {
        Path target = tmp.resolve("corral-data");
        Files.createDirectories(target);
        Files.writeString(target.resolve("keep-me"), "x");

        Result result = importFrom(written, target);

        assertThat(result.status).isEqualTo(1);
        assertThat(result.err).contains("is not empty");
        assertThat(target.resolve("keep-me")).exists();
    }

    private record Result(int status, String out, String err) {
    }

    private Result importFrom(Path root) {
        return importFrom(root, tmp.resolve("corral-data"));
    }

    private static Result importFrom(Path root, Path target) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ImportCommand.run(new String[] {"--zookeeper-data", root.resolve("zk-data").toString(),
            "--zookeeper-log", root.resolve("zk-log").toString(), "--to", target.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The import fails saying all of {@code fragments}, and leaves neither the target nor a staging directory. */
    private void assertFailsWritingNothing(Path copy, String... fragments) throws IOException {
        Result result = importFrom(copy);
        assertThat(result.status).isEqualTo(1);
        assertThat(result.err).contains(fragments);
        assertThat(tmp.resolve("corral-data")).doesNotExist();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.filter(p -> p.getFileName().toString().contains("import"))).isEmpty();
        }
    }

    private Path copyOfWritten() throws IOException {
        Path copy = tmp.resolve("zk");
        try (Stream<Path> walk = Files.walk(written)) {
            for (Path p : walk.toList()) {
                Path to = copy.resolve(written.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return copy;
    }

    private static List<Path> logs(Path root) {
        return ZkSnapshotFiles.list(root.resolve("zk-log").resolve("version-2"), ZkSnapshotFiles.LOG_PREFIX);
    }

    private static List<Path> snapshots(Path root) {
        return ZkSnapshotFiles.list(root.resolve("zk-data").resolve("version-2"), ZkSnapshotFiles.SNAPSHOT_PREFIX);
    }

    private static Path newest(List<Path> ascending) {
        return ascending.get(ascending.size() - 1);
    }

    private static void flipByte(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x5A);
        }
    }
}
