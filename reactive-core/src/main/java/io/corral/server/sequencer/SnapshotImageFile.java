package io.corral.server.sequencer;

import io.corral.server.quorum.QuorumHost;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A snapshot taken for a learner, in a temporary file of the snapshot directory (named so that start-up removes it if
 * the server dies first) and read back a chunk at a time while the leader sends it; closing deletes it.
 */
final class SnapshotImageFile implements QuorumHost.SnapshotImage {

    /** Writes the state into a new file. */
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private final long zxid;
    private final Path file;
    private final FileChannel channel;
    private final long size;

    private SnapshotImageFile(long zxid, Path file) throws IOException {
        this.zxid = zxid;
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.size = channel.size();
    }

    static SnapshotImageFile write(Path dir, long zxid, Body body) {
        Path file = null;
        try {
            Files.createDirectories(dir);
            file = Files.createTempFile(dir, ".snapshot.for-learner.", ".tmp");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                body.writeTo(out);
            }
            return new SnapshotImageFile(zxid, file);
        } catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException("cannot write a snapshot for a learner in " + dir, e);
        }
    }

    @Override
    public long zxid() {
        return zxid;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public byte[] read(long offset, int length) {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IndexOutOfBoundsException("bytes " + offset + "+" + length + " of a " + size + "-byte snapshot");
        }
        ByteBuffer buf = ByteBuffer.allocate(length);
        try {
            while (buf.hasRemaining()) {
                if (channel.read(buf, offset + buf.position()) < 0) {
                    throw new IOException("end of " + file + " at " + (offset + buf.position()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the snapshot for a learner " + file, e);
        }
        return buf.array();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a read-only channel: nothing was lost
        }
        deleteQuietly(file);
    }

    static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // start-up removes what is left
        }
    }
}
