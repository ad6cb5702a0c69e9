package io.corral.server.snapshot;

import io.corral.log.SnapshotFile;
import io.corral.server.tree.DataTree;

import java.io.DataInputStream;
import java.io.IOException;
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

    /**
     * Loads one snapshot file, its checksum verified (the offline tools read a file an operator names).
     *
     * @throws IOException naming the file when it is damaged
     */
    public static LoadedSnapshot loadFile(Path file) throws IOException {
        return SnapshotFile.read(file, in -> readBody(in, file));
    }

    /**
     * Loads the newest snapshot whose checksum verifies, reading each file once (see
     * {@link SnapshotFile#readNewestValid}: a damaged one is reported and the one before it is tried).
     *
     * @throws java.io.UncheckedIOException when a snapshot whose checksum matches cannot be read
     */
    public static LoadedSnapshot load(Path snapshotDir) {
        SnapshotFile.removeTemporaries(snapshotDir);
        return SnapshotFile.readNewestValid(snapshotDir, in -> readBody(in, null))
                .map(s -> new LoadedSnapshot(s.content().tree(), s.content().zxid(), s.content().sessions(), s.path()))
                .orElseGet(() -> new LoadedSnapshot(new DataTree(), 0, List.of(), null));
    }

    private static LoadedSnapshot readBody(DataInputStream in, Path file) throws IOException {
        DataTree tree = new DataTree();
        TreeSnapshot.Restored restored = TreeSnapshot.read(in, tree);
        tree.setLastAppliedZxid(restored.startZxid());
        return new LoadedSnapshot(tree, restored.startZxid(), restored.sessions(), file);
    }
}
