package io.corral.log;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CheckedInputStream;
import java.util.zip.CRC32C;

/**
 * A snapshot file's body read once, its checksum computed on the way: {@link #in()} gives the body, and
 * {@link #problem()}, once the reader is done, reads what is left of it and compares the file's CRC32C with its
 * trailer's. A load thus checks and parses the file in one pass instead of checking it first and reading it again;
 * what the reader built must be thrown away unless {@code problem()} is null (see
 * {@link SnapshotFile#readNewestValid}).
 */
final class CheckedSnapshotBody implements Closeable {
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private final long bodyLength;
    private final int expected;
    private final DataInputStream in;

    private CheckedSnapshotBody(FileChannel channel, SnapshotFile.Frame frame) throws IOException {
        this.channel = channel;
        this.bodyLength = frame.bodyLength();
        this.expected = frame.checksum();
        crc.update(frame.header());
        InputStream body = new Bounded(Channels.newInputStream(channel.position(SnapshotFile.HEADER_SIZE)),
                bodyLength);
        this.in = new DataInputStream(new BufferedInputStream(new CheckedInputStream(body, crc), 1 << 20));
    }

    /**
     * Opens a snapshot file whose header and trailer are whole (a cheap check: the body is checked as it is read).
     *
     * @throws IOException naming what is wrong with the header or trailer
     */
    static CheckedSnapshotBody open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            SnapshotFile.Frame frame = SnapshotFile.readFrame(channel, path);
            if (frame.problem() != null) {
                throw new IOException(frame.problem());
            }
            return new CheckedSnapshotBody(channel, frame);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The body: exactly the bytes the {@link SnapshotWriter} wrote, then EOF. */
    DataInputStream in() {
        return in;
    }

    /** Null when the whole file's checksum matches, else what is wrong; reads the rest of the body first. */
    String problem() {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            return e.toString();
        }
        crc.update(ByteBuffer.allocate(8).putLong(0, bodyLength));
        return (int) crc.getValue() == expected ? null : "CRC32C mismatch";
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** The body's bytes and no more. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long remaining;

        Bounded(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new IOException("unexpected end of file: " + remaining + " bytes of the body missing");
            }
            remaining -= n;
            return n;
        }
    }
}
