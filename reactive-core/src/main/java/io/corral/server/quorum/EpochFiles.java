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
 * (the newest epoch it promised to follow) and {@code currentEpoch} (the epoch of the history it holds). A write
 * puts each file that changes in a temporary file and syncs it, renames them over the old ones (acceptedEpoch
 * first), then syncs the directory once: one directory sync when both change, as after a handover's sync.
 *
 * <p>Until that directory sync the renames may reach the disk in either order, or one without the other. Every
 * write keeps accepted at or above current, so what a crash can leave is either a state some write could have left
 * (the new accepted with the old current: an epoch accepted, not yet current) or a current above the accepted one
 * (the new current without the new accepted): the reader then takes the current one as accepted too. Both are safe:
 * the write had not returned, so no peer was promised anything from it, and the accepted epoch read is never below
 * one that an earlier, completed write promised.
 *
 * <p>A data directory may hold a history without these files: imported from ZooKeeper, restored into a standalone
 * server, or copied from one to seed an ensemble. As ZooKeeper does then, a missing file takes the epoch of the
 * history's last zxid (and is written): a leader's new epoch is then above the epoch of every zxid it holds, so the
 * zxids it issues continue above the history's, and the member's votes rank its history by that epoch.
 */
final class EpochFiles implements EpochStore {
    private static final Logger log = LoggerFactory.getLogger(EpochFiles.class);

    private static final long NONE = -1;
    private static final String ACCEPTED = "acceptedEpoch";
    private static final String CURRENT = "currentEpoch";

    /** The steps of a write that make it durable: a test replaces them to crash between two. */
    interface Steps {
        Steps DISK = new Steps() {
            @Override
            public void rename(Path from, Path to) throws IOException {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }

            @Override
            public void forceDirectory(Path dir) throws IOException {
                TxnLog.forceDirectory(dir);
            }
        };

        void rename(Path from, Path to) throws IOException;

        void forceDirectory(Path dir) throws IOException;
    }

    private final Path dir;
    private final Steps steps;
    private long accepted;
    private long current;

    /** An empty history's epochs: 0 when the files do not exist. */
    EpochFiles(Path dir) {
        this(dir, 0);
    }

    /** {@code lastZxid}: the last zxid of the history in this data directory (its snapshot and log), or 0. */
    EpochFiles(Path dir, long lastZxid) {
        this(dir, lastZxid, Steps.DISK);
    }

    EpochFiles(Path dir, long lastZxid, Steps steps) {
        this.dir = dir;
        this.steps = steps;
        long historyEpoch = lastZxid >>> 32;
        long currentRead = read(CURRENT);
        long acceptedRead = read(ACCEPTED);
        this.current = currentRead == NONE ? historyEpoch : currentRead;
        this.accepted = acceptedRead == NONE ? Math.max(historyEpoch, current) : Math.max(acceptedRead, current);
        if (acceptedRead != NONE && acceptedRead < current) {
            // a crash left a write's new currentEpoch without its new acceptedEpoch (see above)
            log.warn("{} in {} is {}, below {} {}: taking {} as accepted", ACCEPTED, dir, acceptedRead, CURRENT,
                    current, current);
        }
        long acceptedToWrite = acceptedRead == accepted || accepted == 0 ? NONE : accepted;
        long currentToWrite = currentRead == current || current == 0 ? NONE : current;
        if (acceptedToWrite != NONE || currentToWrite != NONE) {
            log.info("epochs in {}: {} {} (file: {}), {} {} (file: {}), from the history's last zxid epoch {}", dir,
                    ACCEPTED, accepted, acceptedRead, CURRENT, current, currentRead, historyEpoch);
            persist(acceptedToWrite, currentToWrite);
        }
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
        persist(acceptedEpoch == accepted ? NONE : acceptedEpoch, currentEpoch == current ? NONE : currentEpoch);
        accepted = acceptedEpoch;
        current = currentEpoch;
    }

    /** Writes the epochs that are not {@link #NONE}, with one directory sync. */
    private void persist(long acceptedEpoch, long currentEpoch) {
        if (acceptedEpoch == NONE && currentEpoch == NONE) {
            return;
        }
        try {
            if (acceptedEpoch != NONE) {
                writeTemporary(ACCEPTED, acceptedEpoch);
            }
            if (currentEpoch != NONE) {
                writeTemporary(CURRENT, currentEpoch);
            }
            // accepted first: a crash between the two renames leaves an epoch accepted that is not current yet
            if (acceptedEpoch != NONE) {
                steps.rename(temporary(ACCEPTED), dir.resolve(ACCEPTED));
            }
            if (currentEpoch != NONE) {
                steps.rename(temporary(CURRENT), dir.resolve(CURRENT));
            }
            steps.forceDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the epochs in " + dir, e);
        }
    }

    private Path temporary(String name) {
        return dir.resolve(name + ".tmp");
    }

    private void writeTemporary(String name, long value) throws IOException {
        try (FileChannel ch = FileChannel.open(temporary(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
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
}
