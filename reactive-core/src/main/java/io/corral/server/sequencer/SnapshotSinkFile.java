package io.corral.server.sequencer;

import io.corral.server.quorum.QuorumHost;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The leader's snapshot as it arrives, appended to a temporary file of the snapshot directory (named so that
 * start-up removes it if the server dies first); once complete, the sequencer installs it from the file. Closing
 * deletes the file.
 */
final class SnapshotSinkFile implements QuorumHost.SnapshotSink {

    /** Replaces the state by the complete snapshot in {@code file}, taken at {@code zxid}. */
    interface Installer {
        void install(long zxid, Path file) throws IOException;
    }

    private final long zxid;
    private final Path file;
    private final OutputStream out;
    private final Installer installer;

    SnapshotSinkFile(Path dir, long zxid, Installer installer) {
        this.zxid = zxid;
        this.installer = installer;
        try {
            Files.createDirectories(dir);
            this.file = Files.createTempFile(dir, ".snapshot.from-leader.", ".tmp");
            this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the leader's snapshot in " + dir, e);
        }
    }

    @Override
    public void write(byte[] chunk) {
        try {
            out.write(chunk);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the leader's snapshot in " + file, e);
        }
    }

    @Override
    public void install() {
        try {
            out.close();
            installer.install(zxid, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the leader's snapshot at 0x" + Long.toHexString(zxid), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            // the file goes anyway
        }
        SnapshotImageFile.deleteQuietly(file);
    }
}
