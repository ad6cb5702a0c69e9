package io.corral.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.log.SnapshotFile;
import io.corral.protocol.Acl;
import io.corral.server.session.SessionTracker;
import io.corral.server.tree.DataTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up's snapshot load: each file read once, its checksum checked on the way, a damaged one skipped. */
class LoadedSnapshotTest {
    @TempDir
    Path dir;

    private final SessionTracker sessions = new SessionTracker(2000, 1, 0);

    /** A snapshot at zxid {@code nodes} of a tree of {@code nodes} znodes under /n. */
    private Path write(int nodes) throws IOException {
        DataTree tree = new DataTree();
        tree.create("/n", new byte[0], Acl.OPEN_ACL_UNSAFE, 0, 1, 1, 1);
        for (int i = 1; i < nodes; i++) {
            tree.create("/n/c" + i, new byte[] {(byte) i}, Acl.OPEN_ACL_UNSAFE, 0, i + 1, i + 1, 1);
        }
        tree.setLastAppliedZxid(nodes);
        TreeSnapshot snapshot = new TreeSnapshot(tree, sessions, nodes);
        return SnapshotFile.write(dir, nodes, out -> {
            byte[] slice;
            while ((slice = snapshot.nextChunk(64)) != null) {
                out.write(slice);
            }
        });
    }

    private static void flipByteAt(Path file, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x01)).rewind();
            ch.write(one, position);
        }
    }

    @Test
    void theNewestSnapshotLoads() throws IOException {
        write(100);
        Path newest = write(500);

        LoadedSnapshot loaded = LoadedSnapshot.load(dir);

        assertThat(loaded.file()).isEqualTo(newest);
        assertThat(loaded.zxid()).isEqualTo(500);
        assertThat(loaded.tree().get("/n").numChildren()).isEqualTo(499);
        assertThat(loaded.tree().get("/n/c7").data()).containsExactly(7);
    }

    @Test
    void aDamagedNewestSnapshotGivesWayToTheOneBefore() throws IOException {
        Path older = write(100);
        Path newest = write(500);
        flipByteAt(newest, Files.size(newest) / 2);

        LoadedSnapshot loaded = LoadedSnapshot.load(dir);

        assertThat(loaded.file()).isEqualTo(older);
        assertThat(loaded.tree().get("/n").numChildren()).isEqualTo(99);
    }

    @Test
    void aSnapshotThatCannotBeParsedThoughItsChecksumMatchesStopsTheStart() throws IOException {
        write(100);
        SnapshotFile.write(dir, 500, out -> out.writeInt(77)); // a format this build does not know

        assertThatThrownBy(() -> LoadedSnapshot.load(dir)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("snapshot.00000000000001f4").hasMessageContaining("checksum matches")
                .hasRootCauseMessage("unknown snapshot format 77 (this build reads formats 1 and 2)");
    }

    @Test
    void withoutSnapshotsTheTreeIsEmpty() {
        LoadedSnapshot loaded = LoadedSnapshot.load(dir);
        assertThat(loaded.file()).isNull();
        assertThat(loaded.zxid()).isZero();
        assertThat(loaded.tree().get("/zookeeper")).isNotNull();
    }
}
