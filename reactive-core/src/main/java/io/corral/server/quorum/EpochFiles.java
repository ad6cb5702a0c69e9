package io.corral.server.quorum;

import io.corral.log.TxnLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The two epochs a ZAB participant must never forget, in dataDir as ZooKeeper keeps them: {@code acceptedEpoch}
 * (the newest epoch it promised to follow) and {@code currentEpoch} (the epoch of the history it holds). Each is
 * written to a temporary file, synced, and renamed over the old one.
 *
 * <p>A data directory may hold a history without these files: imported from ZooKeeper, restored into a standalone
 * server, or copied from one to seed an ensemble. As ZooKeeper does then, a missing file takes the epoch of the
 * history's last zxid (and is written): a leader's new epoch is then above the epoch of every zxid it holds, so the
 * zxids it issues continue above the history's, and the member's votes rank its history by that epoch.
 */
final class EpochFiles implements EpochStore {
    private static final Logger log = LoggerFactory.getLogger(EpochFiles.class);

    private static final long NONE = -1;

    private final Path dir;
    private long accepted;
    private long current;

    /** An empty history's epochs: 0 when the files do not exist. */
    EpochFiles(Path dir) {
        this(dir, 0);
    }

    /** {@code lastZxid}: the last zxid of the history in this data directory (its snapshot and log), or 0. */
    EpochFiles(Path dir, long lastZxid) {
        this.dir = dir;
        long historyEpoch = lastZxid >>> 32;
        this.current = readOr("currentEpoch", historyEpoch);
        this.accepted = readOr("acceptedEpoch", Math.max(historyEpoch, current));
    }

    private long readOr(String name, long historyEpoch) {
        long value = read(name);
        if (value == NONE && historyEpoch > 0) {
            log.info("{} not found in {}: taking {}, the epoch of the last zxid of the history there", name, dir,
                    historyEpoch);
            write(name, historyEpoch);
            return historyEpoch;
        }
        return value == NONE ? 0 : value;
    }

    @Override
    public long accepted() {
        return accepted;
    }

    @Override
    public long current() {
        return current;
    }

    @Override
    public void write(long acceptedEpoch, long currentEpoch) {
        if (acceptedEpoch != accepted) {
            write("acceptedEpoch", acceptedEpoch);
            accepted = acceptedEpoch;
        }
        if (currentEpoch != current) {
            write("currentEpoch", currentEpoch);
            current = currentEpoch;
        }
    }

    /** The value in the file, or {@link #NONE} when there is no such file. */
    private long read(String name) {
        try {
            return Long.parseLong(Files.readString(dir.resolve(name), StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            return NONE;
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("Cannot read " + dir.resolve(name) + ": " + e, e);
        }
    }

    private void write(String name, long value) {
        Path target = dir.resolve(name);
        Path tmp = dir.resolve(name + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.US_ASCII)));
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            TxnLog.forceDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target, e);
        }
    }
}
