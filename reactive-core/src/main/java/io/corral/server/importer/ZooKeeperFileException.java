package io.corral.server.importer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A ZooKeeper snapshot or txn log that cannot be read: damaged, truncated where truncation is not a torn tail, or of
 * a format this importer does not know. Names the file and the offset (in the decompressed stream for a compressed
 * snapshot) where reading stopped.
 */
public final class ZooKeeperFileException extends IOException {
    private final Path file;
    private final long offset;

    public ZooKeeperFileException(Path file, long offset, String problem) {
        super(file + " at offset " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    public ZooKeeperFileException(Path file, long offset, String problem, Throwable cause) {
        super(file + " at offset " + offset + ": " + problem, cause);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
