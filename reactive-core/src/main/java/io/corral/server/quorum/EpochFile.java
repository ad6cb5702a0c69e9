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
import java.util.zip.CRC32C;

/**
 * The two epochs a ZAB participant must never forget, {@code accepted} (the newest epoch it promised to follow) and
 * {@code current} (the epoch of the history it holds), in one file of dataDir, {@code epochs}, written in place.
 *
 * <p>Why not ZooKeeper's two files ({@code acceptedEpoch}, {@code currentEpoch}, each replaced through a temporary
 * file, a rename and a directory sync): each write then costs some three journal commits (1.1 ms on this project's
 * disk), and a handover has three of them in sequence while no write is served. Here the file never changes size
 * or name after it is made: it holds two slots, each in a block of its own, and a write puts both epochs with the
 * next sequence number and a CRC32C into the slot not written last and syncs only the data ({@code fdatasync}, about
 * 0.2 ms). A crash in the middle of a write can only damage the slot being written: the reader takes the whole slot
 * with the highest sequence, so it finds either the write's epochs or those before it, never a mix. That is safe,
 * as the write had not returned and no peer was promised anything from it.
 *
 * <p>A data directory may hold ZooKeeper's two files instead (written by an earlier Corral): they are read once, as
 * before, written into {@code epochs} and then removed. It may also hold a history without any epochs: imported from
 * ZooKeeper, restored into a standalone server, or copied from one to seed an ensemble. As ZooKeeper does then, a
 * missing epoch is the epoch of the history's last zxid (and is written): a leader's new epoch is then above the
 * epoch of every zxid it holds, so the zxids it issues continue above the history's, and the member's votes rank its
 * history by that epoch.
 */
final class EpochFile implements EpochStore {
    private static final Logger log = LoggerFactory.getLogger(EpochFile.class);

    static final String NAME = "epochs";
    /** One filesystem block a slot: a write torn by a crash cannot reach the other slot. */
    static final int SLOT_SIZE = 4096;
    private static final int MAGIC = 0x43455031; // "CEP1"
    /** A slot's record: the magic number, then the fields at these offsets, then the CRC32C of all that. */
    private static final int SEQUENCE_AT = 4;
    private static final int ACCEPTED_AT = SEQUENCE_AT + 8;
    private static final int CURRENT_AT = ACCEPTED_AT + 8;
    private static final int RECORD = CURRENT_AT + 8;

    private static final long NONE = -1;
    private static final String LEGACY_ACCEPTED = "acceptedEpoch";
    private static final String LEGACY_CURRENT = "currentEpoch";

    private final Path dir;
    private final Path file;
    /** the sequence of the slot holding the epochs below; 0 while there is no file */
    private long sequence;
    private long accepted;
    private long current;

    /** An empty history's epochs: 0 when nothing is written yet. */
    EpochFile(Path dir) {
        this(dir, 0);
    }

    /** {@code lastZxid}: the last zxid of the history in this data directory (its snapshot and log), or 0. */
    EpochFile(Path dir, long lastZxid) {
        this.dir = dir;
        this.file = dir.resolve(NAME);
        if (Files.exists(file)) {
            readSlots();
            removeLegacyFiles();
            return;
        }
        long historyEpoch = lastZxid >>> 32;
        long currentRead = readLegacy(LEGACY_CURRENT);
        long acceptedRead = readLegacy(LEGACY_ACCEPTED);
        current = currentRead == NONE ? historyEpoch : currentRead;
        accepted = acceptedRead == NONE ? Math.max(historyEpoch, current) : Math.max(acceptedRead, current);
        if (acceptedRead != NONE && acceptedRead < current) {
            // a crash of ZooKeeper's two-file write left the new currentEpoch without its new acceptedEpoch
            log.warn("{} in {} is {}, below {} {}: taking {} as accepted", LEGACY_ACCEPTED, dir, acceptedRead,
                    LEGACY_CURRENT, current, current);
        }
        if (accepted == 0 && current == 0) {
            return; // nothing to remember yet: the file is made by the first write
        }
        log.info("epochs in {}: accepted {} ({}: {}), current {} ({}: {}), from the history's last zxid epoch {}",
                dir, accepted, LEGACY_ACCEPTED, acceptedRead, current, LEGACY_CURRENT, currentRead, historyEpoch);
        create(accepted, current);
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
        if (acceptedEpoch == accepted && currentEpoch == current) {
            return;
        }
        if (sequence == 0) {
            create(acceptedEpoch, currentEpoch);
        } else {
            // the epochs and the sequence move only once the write is durable: after a failed one the next write
            // goes to the same slot again, never over the whole one
            long next = sequence + 1;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ByteBuffer slot = encode(next, acceptedEpoch, currentEpoch);
                long position = slotOffset(next);
                while (slot.hasRemaining()) {
                    position += ch.write(slot, position);
                }
                ch.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the epochs in " + file, e);
            }
            sequence = next;
        }
        accepted = acceptedEpoch;
        current = currentEpoch;
    }

    /** Where the slot of {@code sequence} is: the first block for the odd ones (the file is made with the first). */
    static long slotOffset(long sequence) {
        return ((sequence - 1) & 1) * SLOT_SIZE;
    }

    /** Makes the file whole, both blocks written (no extent left to allocate later), its first slot holding the epochs. */
    private void create(long acceptedEpoch, long currentEpoch) {
        Path temporary = dir.resolve(NAME + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer blocks = ByteBuffer.allocate(2 * SLOT_SIZE);
                ByteBuffer slot = encode(1, acceptedEpoch, currentEpoch);
                blocks.put((int) slotOffset(1), slot.array(), 0, slot.remaining());
                while (blocks.hasRemaining()) {
                    ch.write(blocks);
                }
                ch.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            TxnLog.forceDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the epochs in " + file, e);
        }
        sequence = 1;
        removeLegacyFiles(); // read already (an empty pair too: the file is then made by the first write)
    }

    static ByteBuffer encode(long sequence, long accepted, long current) {
        ByteBuffer slot = ByteBuffer.allocate(RECORD + 4);
        slot.putInt(MAGIC).putLong(sequence).putLong(accepted).putLong(current);
        CRC32C crc = new CRC32C();
        crc.update(slot.array(), 0, RECORD);
        slot.putInt((int) crc.getValue());
        return slot.flip();
    }

    private void readSlots() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the epochs in " + file, e);
        }
        if (bytes.length != 2 * SLOT_SIZE) {
            throw new IllegalStateException("Cannot read the epochs: " + file + " has " + bytes.length
                    + " bytes, not " + 2 * SLOT_SIZE);
        }
        boolean first = decode(ByteBuffer.wrap(bytes, 0, SLOT_SIZE));
        boolean second = decode(ByteBuffer.wrap(bytes, SLOT_SIZE, SLOT_SIZE));
        if (!first && !second) {
            throw new IllegalStateException("Cannot read the epochs: neither slot of " + file + " is whole");
        }
        if (first != second && sequence > 1) {
            // the slot written after the one read, or before it and since damaged: a write a crash cut short
            log.warn("The epochs in {}: one slot is not whole (a write cut short by a crash?); the other (write {})"
                    + " holds accepted {}, current {}", file, sequence, accepted, current);
        }
    }

    /** Takes the slot if it is whole and newer than what was taken; whether it is whole. */
    private boolean decode(ByteBuffer slot) {
        int start = slot.position();
        CRC32C crc = new CRC32C();
        crc.update(slot.array(), start, RECORD);
        if (slot.getInt(start) != MAGIC || slot.getInt(start + RECORD) != (int) crc.getValue()) {
            return false;
        }
        long seq = slot.getLong(start + SEQUENCE_AT);
        if (seq > sequence) {
            sequence = seq;
            accepted = slot.getLong(start + ACCEPTED_AT);
            current = slot.getLong(start + CURRENT_AT);
        }
        return true;
    }

    private void removeLegacyFiles() {
        try {
            for (String name : new String[] {LEGACY_ACCEPTED, LEGACY_CURRENT, LEGACY_ACCEPTED + ".tmp",
                    LEGACY_CURRENT + ".tmp"}) {
                Files.deleteIfExists(dir.resolve(name));
            }
        } catch (IOException e) {
            // harmless: the epochs file, when it exists, is what is read
            log.warn("Cannot remove ZooKeeper's epoch files in {}: {}", dir, e.toString());
        }
    }

    /** The value in ZooKeeper's epoch file, or {@link #NONE} when there is no such file. */
    private long readLegacy(String name) {
        try {
            return Long.parseLong(Files.readString(dir.resolve(name), StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            return NONE;
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("Cannot read " + dir.resolve(name) + ": " + e, e);
        }
    }
}
