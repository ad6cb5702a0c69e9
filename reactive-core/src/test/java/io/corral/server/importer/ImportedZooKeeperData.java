package io.corral.server.importer;

import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.persistence.SnapStream;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Corral data directory imported with {@code corral-import} from a data directory Apache ZooKeeper 3.9.5 wrote in
 * this test ({@link ZooKeeperWrittenData}), with what ZooKeeper served before it stopped: for tests outside this
 * package that start servers from an import.
 *
 * @param corralDataDir the imported Corral data directory
 * @param served        path to data, Stat and ACL as ZooKeeper served them ({@link ServedTree})
 * @param sessionId     a session that still owned ephemerals when ZooKeeper stopped
 * @param password      its password
 * @param ephemeral     one of its ephemerals
 */
public record ImportedZooKeeperData(Path corralDataDir, Map<String, String> served, long sessionId, byte[] password,
                                    String ephemeral, ZooKeeper survivor) implements AutoCloseable {

    /** ZooKeeper writes under {@code root}, then it is imported into {@code root/corral-data}. */
    public static ImportedZooKeeperData write(Path root) throws Exception {
        ZooKeeperWrittenData zk = ZooKeeperWrittenData.write(root, SnapStream.StreamMode.CHECKED);
        Path target = root.resolve("corral-data");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ImportCommand.run(new String[] {"--zookeeper-data", zk.dataDir().toString(),
            "--zookeeper-log", zk.logDir().toString(), "--to", target.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (status != 0) {
            zk.survivor().close(100);
            throw new IllegalStateException("the import failed: " + err.toString(StandardCharsets.UTF_8));
        }
        return new ImportedZooKeeperData(target, zk.served(), zk.sessionId(), zk.password(), zk.ephemeral(),
                zk.survivor());
    }

    /** Closes the client that ZooKeeper's session belonged to (it has no server to reach any more). */
    @Override
    public void close() throws InterruptedException {
        survivor.close(100);
    }
}
