package io.corral.log;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A stopped server's txn log, opened read-only for the offline tools: the same scan as {@link TxnLog#open} (every
 * checksum verified, truncation markers applied), but nothing is written, so a torn last entry is reported rather
 * than dropped. Refuses a log that a server (or a TxnLog) has open.
 */
public final class LogInspector implements AutoCloseable {
    private final Path dir;
    private final SingleChronicleQueue queue;
    private final LogIndex index;
    private final LogRecovery.Bad torn;

    private LogInspector(Path dir, SingleChronicleQueue queue) {
        this.dir = dir;
        this.queue = queue;
        // every excerpt, whatever the saved index (IndexCheckpoint) would let an open skip: this is the check
        LogRecovery.Result scanned = LogRecovery.scan(queue, dir, SyncJournal.checkpointIn(dir), false);
        this.index = scanned.index();
        this.torn = scanned.torn();
        if (torn != null) {
            // in memory only, what the server's marker will do on disk: readers skip the torn excerpt
            index.applyVoid(torn.index(), Long.MAX_VALUE, torn.previousZxid(), torn.previousIndex());
        }
    }

    /**
     * @throws IllegalStateException  when the log is open elsewhere, or there is no log in {@code dir}
     * @throws LogCorruptedException  on an entry in the middle of the log whose checksum does not verify
     */
    public static LogInspector open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no txn log in " + dir);
        }
        requireNotOpen(dir);
        // the queue's own metadata decides the roll cycle; the default only spares Chronicle's warning about it
        SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).readOnly(true)
                .rollCycle(LogOptions.defaults().rollCycle().chronicle()).build();
        try {
            return new LogInspector(dir, queue);
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
    }

    /** The lock {@link TxnLog} holds while open: free means no server is using the log. */
    private static void requireNotOpen(Path dir) {
        Path lockFile = dir.resolve(TxnLog.LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("txn log " + dir + " is open (" + TxnLog.LOCK_FILE
                        + " is locked): stop the server first");
            }
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + lockFile, e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The oldest zxid held (0 when empty). */
    public long firstZxid() {
        return index.firstZxid();
    }

    /** The last zxid held, not counting a torn last entry (0 when empty). */
    public long lastZxid() {
        return index.lastZxid();
    }

    /** The Chronicle files, oldest first. */
    public List<Path> files() {
        return index.files();
    }

    /** What the server would drop when it opens the log: a torn last entry (a crash mid-append), or null. */
    public String tornTail() {
        if (torn == null) {
            return null;
        }
        return "a torn last entry at index 0x" + Long.toHexString(torn.index()) + " in " + torn.file()
                + " (claimed zxid 0x" + Long.toHexString(torn.zxid()) + ")";
    }

    /**
     * What only the journal holds (after a machine crash, the entries synced since the last checkpoint that the log
     * files lost), which the server puts back when it starts; null when there is nothing.
     */
    public String journalTail() {
        long[] found = {0, 0, 0}; // count, first, last
        long after = index.lastZxid();
        SyncJournal.readOnly(dir, (buf, len) -> {
            long zxid = EntryCodec.zxid(buf, len);
            if (zxid > after) {
                found[1] = found[0] == 0 ? zxid : found[1];
                found[2] = zxid;
                found[0]++;
            }
        });
        if (found[0] == 0) {
            return null;
        }
        return found[0] + " synced txn(s), zxids 0x" + Long.toHexString(found[1]) + "..0x" + Long.toHexString(found[2])
                + ", are in the journal only (a machine crash)";
    }

    /** The live entries after {@code zxid}, in zxid order; close the iterator. */
    public CloseableIterator<LogEntry> readFrom(long zxid) {
        return EntryIterator.after(queue, index, zxid);
    }

    @Override
    public void close() {
        queue.close();
    }
}
