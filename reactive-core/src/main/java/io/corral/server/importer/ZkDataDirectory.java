package io.corral.server.importer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * ZooKeeper's {@code dataDir} (snapshots) and {@code dataLogDir} (txn logs) as {@code zoo.cfg} names them: each holds
 * {@code version-2/}, where the files are. A path that is itself {@code version-2} is taken as it is.
 */
record ZkDataDirectory(Path snapshotDir, Path logDir) {
    private static final String VERSION_DIR = "version-2";

    static ZkDataDirectory of(Path dataDir, Path dataLogDir) throws IOException {
        return new ZkDataDirectory(versionDir(dataDir, "--zookeeper-data"), versionDir(dataLogDir, "--zookeeper-log"));
    }

    private static Path versionDir(Path dir, String option) throws IOException {
        if (dir.getFileName() != null && dir.getFileName().toString().equals(VERSION_DIR) && Files.isDirectory(dir)) {
            return dir;
        }
        Path inside = dir.resolve(VERSION_DIR);
        if (!Files.isDirectory(inside)) {
            throw new IOException(option + " " + dir + " holds no " + VERSION_DIR + "/ directory (give ZooKeeper's "
                    + "dataDir or dataLogDir as its zoo.cfg names them)");
        }
        return inside;
    }

    /** The snapshot files, newest first (ZooKeeper tries them in this order). */
    List<Path> snapshotsNewestFirst() {
        List<Path> files = ZkSnapshotFiles.list(snapshotDir, ZkSnapshotFiles.SNAPSHOT_PREFIX);
        Collections.reverse(files);
        return files;
    }

    /**
     * The log files a replay after {@code snapshotZxid} reads, ascending: the newest one that starts at or before
     * the snapshot's zxid (it may hold txns after it) and every later one, as ZooKeeper picks them.
     */
    List<Path> logsAfter(long snapshotZxid) {
        List<Path> all = ZkSnapshotFiles.list(logDir, ZkSnapshotFiles.LOG_PREFIX);
        int first = 0;
        for (int i = 0; i < all.size(); i++) {
            if (ZkSnapshotFiles.zxidOf(all.get(i), ZkSnapshotFiles.LOG_PREFIX) <= snapshotZxid) {
                first = i;
            }
        }
        return new ArrayList<>(all.subList(first, all.size()));
    }
}
