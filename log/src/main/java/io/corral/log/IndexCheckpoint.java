package io.corral.log;

import net.openhft.chronicle.queue.RollCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32C;

/**
 * The {@link LogIndex} kept beside the log, so that an open need not read every excerpt again: a log of a million
 * entries took 0.7 s of CPU (and its whole file paged in) to scan, next to a snapshot load competing for the same
 * cores. Written when the files were just forced (a checkpoint every {@link #EVERY_EXCERPTS} excerpts or so, and
 * on close), so everything it covers is on disk; with forceSync only, as without it nothing is forced. An open that
 * finds it whole, for the same roll cycle, and the excerpt it ends with still in place, scans only what follows.
 * Anything else (absent, damaged, written by another version, a file it names gone in the middle) means a scan of
 * the whole log, as without it.
 *
 * <p>Not forced: a machine crash may leave an older one (still true of the files, which only grow or lose whole
 * old files to a purge) or a damaged one (its CRC32C says so). The entries it covers had their checksums verified
 * by an earlier open or were appended by this log; they are verified again whenever they are read.
 */
final class IndexCheckpoint {
    static final String FILE = "index.checkpoint";
    /** Excerpts appended between two saves at checkpoints, at least: what a crash leaves to scan, at most. */
    static final long EVERY_EXCERPTS = 65_536;
    private static final Logger LOG = LoggerFactory.getLogger(TxnLog.class);
    private static final int MAGIC = 0x434c4958; // "CLIX"
    private static final int VERSION = 1;

    private IndexCheckpoint() {
    }

    /** Writes {@code index} for the log in {@code dir} (a new file renamed over the old one). */
    static void save(Path dir, LogIndex index, RollCycle rollCycle) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(rollCycle.lengthInMillis());
        out.writeLong(rollCycle.toIndex(1, 0));
        index.writeTo(out);
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.write(tmp, bytes.toByteArray());
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The index saved for the log in {@code dir}, with the files purged since forgotten; null (with the reason
     * logged) when there is none this log can resume from.
     */
    static LogIndex load(Path dir, RollCycle rollCycle) {
        Path file = dir.resolve(FILE);
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return notUsed(file, e.toString());
        }
        if (all.length < 28) {
            return notUsed(file, "it is cut short");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(all, all.length - 4, 4).getInt()) {
            return notUsed(file, "its checksum does not match");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 4))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                return notUsed(file, "it is not of this version");
            }
            if (in.readLong() != rollCycle.lengthInMillis() || in.readLong() != rollCycle.toIndex(1, 0)) {
                return notUsed(file, "it was written for another roll cycle");
            }
            LogIndex index = LogIndex.readFrom(in, rollCycle, dir);
            if (index.lastExcerpt() == LogIndex.NONE) {
                return null; // an empty log: nothing to skip
            }
            if (!index.forgetPurgedFiles()) {
                return notUsed(file, "a file it names is gone");
            }
            return index;
        } catch (IOException e) {
            return notUsed(file, "it cannot be read: " + e);
        }
    }

    private static LogIndex notUsed(Path file, String why) {
        LOG.info("Not resuming from {}: {}; scanning the whole log", file, why);
        return null;
    }
}
