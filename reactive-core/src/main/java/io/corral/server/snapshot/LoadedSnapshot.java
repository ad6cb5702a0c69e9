package io.corral.server.snapshot;

import io.corral.log.CheckedSnapshotBody;
import io.corral.log.SnapshotFile;
import io.corral.server.tree.DataTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The newest valid snapshot of a snapshot directory, loaded into a tree of its own: at start-up this runs while
 * the transaction log opens on another thread, before the sequencer that takes the tree over exists.
 *
 * @param tree     the nodes (an empty tree when there is no snapshot)
 * @param zxid     the snapshot's start zxid, 0 without one
 * @param sessions the sessions it holds
 * @param file     the file it came from, or null
 */
public record LoadedSnapshot(DataTree tree, long zxid, List<TreeSnapshot.RestoredSession> sessions, Path file) {
    private static final Logger log = LoggerFactory.getLogger(LoadedSnapshot.class);

    /**
     * Loads the newest snapshot whose checksum verifies, reading each file once (its checksum is computed as it is
     * parsed); a damaged one is reported (WARN, by name) and the one before it is tried.
     *
     * @throws UncheckedIOException when a snapshot whose checksum matches cannot be read (written by another
     *                              version?): falling back to an older one could lose what the log no longer holds
     */
    public static LoadedSnapshot load(Path snapshotDir) {
        SnapshotFile.removeTemporaries(snapshotDir);
        for (Path file : SnapshotFile.list(snapshotDir)) {
            CheckedSnapshotBody body;
            try {
                body = CheckedSnapshotBody.open(file);
            } catch (IOException e) {
                log.warn("Snapshot {} is not valid ({}); falling back to an older snapshot", file, e.getMessage());
                continue;
            }
            try (body) {
                DataTree tree = new DataTree();
                TreeSnapshot.Restored restored = read(body, tree);
                if (restored != null) {
                    tree.setLastAppliedZxid(restored.startZxid());
                    return new LoadedSnapshot(tree, restored.startZxid(), restored.sessions(), file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot close snapshot " + file, e);
            }
        }
        return new LoadedSnapshot(new DataTree(), 0, List.of(), null);
    }

    /** The snapshot in {@code body}, or null (reported) when its checksum does not match. */
    private static TreeSnapshot.Restored read(CheckedSnapshotBody body, DataTree tree) {
        TreeSnapshot.Restored restored;
        try {
            restored = TreeSnapshot.read(body.in(), tree);
        } catch (IOException | RuntimeException e) {
            String problem = body.problem();
            if (problem == null) {
                throw new UncheckedIOException("Cannot read snapshot " + body.path() + " although its checksum "
                        + "matches", e instanceof IOException io ? io : new IOException(e));
            }
            log.warn("Snapshot {} is not valid ({}: {}); falling back to an older snapshot", body.path(), problem,
                    e.toString());
            return null;
        }
        String problem = body.problem();
        if (problem != null) {
            log.warn("Snapshot {} is not valid ({}); falling back to an older snapshot", body.path(), problem);
            return null;
        }
        return restored;
    }
}
