package io.corral.log;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A snapshot file whose checksum has been verified by {@link SnapshotFile#latestValid}.
 *
 * @param lastZxid the zxid of the last txn the snapshot reflects: replay the log from after it
 * @param path     the file
 */
public record Snapshot(long lastZxid, Path path) {

    /**
     * Opens the body: exactly the bytes the {@link SnapshotWriter} wrote, then EOF. The caller closes the
     * stream.
     */
    public DataInputStream open() throws IOException {
        long bodyLength = Files.size(path) - SnapshotFile.HEADER_SIZE - SnapshotFile.TRAILER_SIZE;
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 64 * 1024);
        try {
            in.skipNBytes(SnapshotFile.HEADER_SIZE);
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return new DataInputStream(new Bounded(in, bodyLength));
    }

    private static final class Bounded extends FilterInputStream {
        private long remaining;

        Bounded(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(Math.min(n, remaining));
            remaining -= s;
            return s;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
