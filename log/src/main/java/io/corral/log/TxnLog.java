package io.corral.log;

import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * The durable transaction log: one Chronicle Queue excerpt per txn, with a CRC32C per excerpt, and truncation
 * by durable marker records. See {@code log/README.md} for the file layout and the contracts.
 *
 * <h2>Threads</h2>
 * All methods are thread-safe. Writes ({@link #append}, {@link #sync}, {@link #truncateAfter},
 * {@link #purgeBefore}, {@link #close}) take an internal lock; in a server only the single log-writer thread
 * appends and syncs (see {@link LogWriter}), so that lock is uncontended on the hot path. Iterators from
 * {@link #readFrom} run concurrently with appends, each on its own Chronicle tailer; an iterator may be used by
 * one thread at a time and must be closed. Truncate only while nothing is being appended (the caller's job:
 * during ensemble recovery the log writer is idle).
 *
 * <h2>Durability</h2>
 * {@code append} writes into the memory-mapped file: the entry survives a crash of the process but not of the
 * machine. {@code sync} makes everything appended so far durable, then {@link #durableZxid()} is the last appended
 * zxid. Acknowledge a write only once its zxid is at most {@code durableZxid()}. With forceSync, what {@code sync}
 * forces is the {@link SyncJournal} (plain writes, one fdatasync), and the mapped files are forced at its
 * checkpoints; {@link #open} puts back into the files what a machine crash took from them since the last one.
 */
public final class TxnLog implements AutoCloseable {
    private volatile LongConsumer syncListener = nanos -> { };

    private static final Logger LOG = LoggerFactory.getLogger(TxnLog.class);

    private static final long NONE = LogIndex.NONE;

    private final Path dir;
    private final LogOptions options;
    private final SingleChronicleQueue queue;
    private final ReentrantLock lock = new ReentrantLock();

    // ---- state guarded by lock (written) and readable without it where volatile/concurrent ----
    private final ExcerptAppender appender;
    private byte[] writeBuf = new byte[4096];
    private final LogIndex index;
    private volatile long durableZxid;
    private final SyncTracker syncs;
    private final AtomicLong syncCount = new AtomicLong();
    private volatile boolean closed;
    /** Why its writes can no longer be trusted (see {@link #failed}), or null. */
    private volatile Throwable failure;
    /** With forceSync: the journal a sync forces, and the checkpoints of the files. */
    private final Checkpoints checkpoints;
    /** How many excerpts the open read (all, or those after the saved index): for tests. */
    final long excerptsReadAtOpen;

    /** Held while open: one TxnLog per directory, in this JVM or any other. */
    private final FileChannel lockChannel;
    private final FileLock dirLock;

    static final String LOCK_FILE = "txnlog.lock";

    private TxnLog(Path dir, LogOptions options, FileChannel lockChannel, FileLock dirLock) {
        this.dir = dir;
        this.options = options;
        this.lockChannel = lockChannel;
        this.dirLock = dirLock;
        this.queue = SingleChronicleQueueBuilder.binary(dir)
                .rollCycle(options.rollCycle().chronicle())
                .blockSize(options.blockSize())
                .timeProvider(options.clock()::getAsLong)
                .syncMode(SyncMode.NONE) // we force the files ourselves, see sync()
                .build();
        this.syncs = new SyncTracker(dir);
        ExcerptAppender a = null;
        try {
            LogRecovery.Result scanned = LogRecovery.scan(queue, dir, SyncJournal.checkpointIn(dir), true);
            this.index = scanned.index();
            tornTail = scanned.torn();
            excerptsReadAtOpen = scanned.excerptsRead();
            durableZxid = index.lastZxid();
            List<Path> files = index.files();
            if (!files.isEmpty()) {
                syncs.resume(index.newestCycle(), files.get(files.size() - 1));
            }
            a = queue.createAppender();
            a.singleThreadedCheckDisabled(true);
            checkpoints = new Checkpoints(dir, queue, index, syncs, this::failed);
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
        this.appender = a;
    }

    /**
     * Opens (creating if need be) the log in {@code dir} and recovers it: every excerpt is read and its checksum
     * verified, but for those the index saved by the last checkpoint or close covers ({@link IndexCheckpoint}: an
     * earlier open verified them or this log wrote them; they are verified again when read, and
     * {@link LogInspector} checks them all). A bad last excerpt (a crash mid-append) is dropped with a WARN naming
     * the file, by a durable marker; a bad excerpt anywhere else throws {@link LogCorruptedException}.
     *
     * @throws IllegalStateException when another TxnLog (in this JVM or another process) has the directory open
     */
    public static TxnLog open(Path dir, LogOptions options) {
        FileChannel lockChannel;
        FileLock dirLock;
        try {
            Files.createDirectories(dir);
            lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open log directory " + dir, e);
        }
        try {
            dirLock = lockChannel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            dirLock = null;
        }
        if (dirLock == null) {
            closeQuietly(lockChannel);
            throw new IllegalStateException("txn log " + dir + " is already open (" + LOCK_FILE + " is locked)");
        }
        try {
            TxnLog log = new TxnLog(dir, options, lockChannel, dirLock);
            try {
                log.repairTornTailIfAny();
                log.openJournal();
            } catch (RuntimeException e) {
                log.closeAfterFailedOpen();
                throw e;
            }
            return log;
        } catch (RuntimeException e) {
            closeQuietly(lockChannel); // releases the lock
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug("closing {}", ch, e);
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // recovery

    private LogRecovery.Bad tornTail;

    private void repairTornTailIfAny() {
        LogRecovery.Bad torn = tornTail;
        if (torn == null) {
            return;
        }
        tornTail = null;
        LOG.warn("Txn log file {} has a torn entry at index 0x{} (claimed zxid 0x{}) after zxid 0x{}: a crash "
                        + "mid-append, or a machine crash after the journal's last checkpoint. Dropping it and anything "
                        + "after it; the log now ends at zxid 0x{}, and the journal puts back what it holds",
                torn.file(), Long.toHexString(torn.index()), Long.toHexString(torn.zxid()),
                Long.toHexString(torn.previousZxid()), Long.toHexString(torn.previousZxid()));
        lock.lock();
        try {
            writeMarker(EntryCodec.REASON_TORN_TAIL, torn.previousZxid(), torn.previousZxid(), torn.previousIndex(),
                    torn.index());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Opens the journal (with forceSync, or when one is there from a run with it), appends the entries the mapped
     * files lost to a machine crash, and checkpoints (which reads them back). Without forceSync the journal is then
     * deleted: nothing keeps it up to date.
     */
    private void openJournal() {
        Path file = dir.resolve(SyncJournal.FILE);
        if (!options.forceSync() && !Files.exists(file)) {
            return;
        }
        lock.lock();
        try {
            SyncJournal journal = checkpoints.open(options.maxEntryBytes());
            long last = index.lastZxid();
            if (last < journal.checkpointZxid()) {
                throw new LogCorruptedException(file, last, "the log ends at zxid 0x" + Long.toHexString(last)
                        + " but its files held zxid 0x" + Long.toHexString(journal.checkpointZxid())
                        + " durably at the journal's last checkpoint: log files are missing or were cut short");
            }
            replay(journal, last);
            checkpoints.run(true);
            if (!options.forceSync()) {
                checkpoints.drop();
                Files.delete(file);
                forceDirectory(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the txn log's journal " + file, e);
        } finally {
            lock.unlock();
        }
    }

    /** Appends the journal's entries after {@code last}; the checkpoint after it reads them back. */
    private void replay(SyncJournal journal, long last) {
        long[] replayed = {0, 0};
        journal.replay((buf, len) -> {
            long zxid = EntryCodec.zxid(buf, len);
            if (zxid > index.lastZxid()) {
                if (writeBuf.length < len) {
                    writeBuf = new byte[len];
                }
                System.arraycopy(buf, 0, writeBuf, 0, len);
                writeEntry(len, zxid);
                replayed[0]++;
                replayed[1] = zxid;
            }
        });
        if (replayed[0] > 0) {
            LOG.warn("Txn log {}: {} entries after zxid 0x{} (up to 0x{}) were in the journal only, as a machine "
                    + "crash leaves them; appended to the log files again", dir, replayed[0], Long.toHexString(last),
                    Long.toHexString(replayed[1]));
        }
    }

    private void closeAfterFailedOpen() {
        closed = true;
        closeFiles();
    }

    /** Closes the channels, the appender and the queue (not the directory's lock). */
    private void closeFiles() {
        try {
            checkpoints.close();
            syncs.close();
        } catch (IOException e) {
            LOG.warn("Closing {}: {}", syncs.appendFile(), e.toString());
        }
        appender.close();
        queue.close();
    }

    // ------------------------------------------------------------------------------------------------------
    // writing

    /**
     * Appends an entry. Not yet durable: see {@link #sync()}.
     *
     * @throws IllegalArgumentException when {@code entry.zxid()} is not greater than {@link #lastZxid()}
     */
    public void append(LogEntry entry) {
        lock.lock();
        try {
            ensureWritable();
            long last = index.lastZxid();
            if (entry.zxid() <= last) {
                throw new IllegalArgumentException("zxid 0x" + Long.toHexString(entry.zxid())
                        + " is not greater than the last zxid 0x" + Long.toHexString(last));
            }
            int size = EntryCodec.ENTRY_OVERHEAD + entry.body().length;
            if (writeBuf.length < size) {
                writeBuf = new byte[Math.max(size, writeBuf.length * 2)];
            }
            int n = EntryCodec.encodeEntry(entry, writeBuf);
            checkpoints.stage(writeBuf, n);
            writeEntry(n, entry.zxid());
        } finally {
            lock.unlock();
        }
    }

    /** Writes the entry encoded in writeBuf[0, n) as one excerpt and records it in the index. */
    private void writeEntry(int n, long zxid) {
        long at = writeExcerpt(n);
        index.onValidEntry(at, zxid, index.cycleInfo(at, syncs.appendFile().toFile()));
    }

    /** Writes writeBuf[0, n) as one excerpt; keeps the bookkeeping of which files need forcing. */
    private long writeExcerpt(int n) {
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(writeBuf, 0, n);
        }
        long at = appender.lastIndexAppended();
        syncs.written(index.cycleOf(at), appender);
        index.onExcerpt(at, writeBuf, n);
        checkpoints.excerptWritten();
        return at;
    }

    /**
     * Makes everything appended so far durable: forces the journal, or, after Chronicle started a file or the
     * directory changed, the files themselves and the directory (a checkpoint). With {@code forceSync == false}
     * nothing is forced, but {@link #durableZxid()} still advances.
     */
    public void sync() {
        lock.lock();
        try {
            ensureWritable();
            long target = index.lastZxid();
            if (target == durableZxid) {
                return;
            }
            if (options.forceSync()) {
                long started = System.nanoTime();
                checkpoints.sync();
                syncListener.accept(System.nanoTime() - started);
            }
            durableZxid = target;
            syncCount.incrementAndGet();
        } finally {
            lock.unlock();
        }
    }

    public static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms (not Linux) cannot open a directory for fsync; the rename/creation is then as
            // durable as that platform makes it.
            if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
                return;
            }
            throw e;
        }
    }

    /**
     * What the log writer does between batches, after it reported the last one durable, and when it was idle a
     * while: the journal's blocks ahead of its write position are allocated ({@link SyncJournal#allocateAhead}), and
     * when the last checkpoint is {@value PeriodicCheckpoint#INTERVAL_NANOS} ns old or more and entries were appended
     * since, the mapped files are forced and the journal starts afresh, once the file appended to was forced early on
     * a thread of its own ({@link PeriodicCheckpoint}). A no-op without forceSync.
     */
    public void betweenBatches() {
        if (!checkpoints.journaled()) {
            return;
        }
        lock.lock();
        try {
            ensureOpen();
            if (failure == null) { // else no checkpoint may vouch for the files any more
                checkpoints.betweenBatches();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #betweenBatches} has work to do now: a checkpoint, or the journal's allocation ahead. */
    public boolean maintenanceDue() {
        if (!checkpoints.journaled()) {
            return false;
        }
        lock.lock();
        try {
            return !closed && failure == null && checkpoints.maintenanceDue();
        } finally {
            lock.unlock();
        }
    }

    private void writeMarker(byte reason, long keepZxid, long lastKeptZxid, long lastKeptIndex, long voidFrom) {
        // the journal must not hold the entries the marker drops when it is durable: they would come back
        checkpoints.run(true);
        int n = EntryCodec.encodeMarker(reason, keepZxid, lastKeptZxid, lastKeptIndex, voidFrom, writeBuf);
        long markerIndex = writeExcerpt(n);
        index.cycleInfo(markerIndex, syncs.appendFile().toFile());
        syncs.forceDirty(); // a truncation must be durable whatever forceSync says
        index.applyVoid(voidFrom, markerIndex, lastKeptZxid, lastKeptIndex);
        durableZxid = index.lastZxid();
        checkpoints.truncated();
    }

    /**
     * Drops every entry with a zxid greater than {@code zxid} (TRUNC during ensemble recovery). Durable when it
     * returns: a marker record is appended and forced, and every later reader, and the log after a reopen,
     * skips the dropped entries. Afterwards {@link #lastZxid()} is the greatest remaining zxid (0 if none), and
     * appends continue from there. A no-op when nothing is greater than {@code zxid}.
     */
    public void truncateAfter(long zxid) {
        lock.lock();
        try {
            ensureWritable();
            if (zxid >= index.lastZxid()) {
                return;
            }
            long keptZxid = 0;
            long keptIndex = NONE;
            long voidFrom = NONE;
            Map.Entry<Long, Long> sample = index.sampleAtOrBefore(zxid);
            try (ExcerptTailer tailer = queue.createTailer()) {
                tailer.singleThreadedCheckDisabled(true);
                if (sample != null) {
                    if (!tailer.moveToIndex(sample.getValue())) {
                        throw new IllegalStateException("cannot find index 0x" + Long.toHexString(sample.getValue()));
                    }
                    keptZxid = sample.getKey();
                    keptIndex = sample.getValue();
                }
                CheckedReader reader = new CheckedReader(tailer, index);
                int kind;
                while (voidFrom == NONE && (kind = reader.next()) != CheckedReader.END) {
                    if (kind == EntryCodec.KIND_ENTRY) {
                        long z = reader.zxid();
                        if (z <= zxid) {
                            keptZxid = z;
                            keptIndex = reader.at;
                        } else {
                            voidFrom = reader.at;
                        }
                    }
                }
            }
            if (voidFrom == NONE) {
                throw new IllegalStateException("last zxid is 0x" + Long.toHexString(index.lastZxid())
                        + " but no entry after 0x" + Long.toHexString(zxid) + " was found");
            }
            long before = index.lastZxid();
            writeMarker(EntryCodec.REASON_TRUNCATE, zxid, keptZxid, keptIndex, voidFrom);
            LOG.info("Truncated txn log {} after zxid 0x{}: dropped 0x{}..0x{}, log now ends at 0x{}", dir,
                    Long.toHexString(zxid), Long.toHexString(zxid + 1), Long.toHexString(before),
                    Long.toHexString(index.lastZxid()));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes the log files that contain only entries with zxid &lt;= {@code zxid} (entries no retained
     * snapshot needs). Only a prefix of the files goes, never the newest file.
     *
     * @return the files deleted
     */
    public List<Path> purgeBefore(long zxid) {
        lock.lock();
        try {
            ensureOpen();
            if (index.fileCount() == 0) {
                return new ArrayList<>();
            }
            int newest = Math.max(index.newestCycle(), syncs.appendCycle());
            List<Path> deleted = index.dropFilesUpTo(zxid, newest, file -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete txn log file " + file, e);
                }
            });
            if (!deleted.isEmpty()) {
                queue.refreshDirectoryListing();
                syncs.directoryChanged();
                try {
                    forceDirectory(dir);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                LOG.info("Purged {} txn log file(s) with entries <= 0x{}: {}", deleted.size(), Long.toHexString(zxid),
                        deleted);
            }
            return deleted;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // reading

    /** The last appended zxid (0 when the log is empty); after a truncation the greatest remaining one. */
    public long lastZxid() {
        return index.lastZxid();
    }

    /** The last zxid made durable by {@link #sync()} (or by recovery: everything found on open is durable). */
    public long durableZxid() {
        return durableZxid;
    }

    /**
     * The smallest zxid the log still holds (0 when empty). Entries before it were purged: a follower behind it
     * needs a snapshot, not a diff.
     */
    public long firstZxid() {
        return index.firstZxid();
    }

    /** Hears how long each forced {@link #sync()} took, in nanoseconds (fsynctime); called under the log's lock. */
    public void onSync(LongConsumer listener) {
        syncListener = listener;
    }

    /** How many times {@link #sync()} did work (for metrics and tests). */
    public long syncCount() {
        return syncCount.get();
    }

    public Path dir() {
        return dir;
    }

    public LogOptions options() {
        return options;
    }

    /** The Chronicle files of the log, oldest first. */
    public List<Path> files() {
        return index.files();
    }

    /**
     * The entries with zxid greater than {@code zxid}, in zxid order, skipping truncated ones. Sees entries
     * appended up to the moment each {@code hasNext()} runs, durable or not. If {@code zxid} is older than
     * {@link #firstZxid()}, iteration starts at the oldest entry still held. Close the iterator.
     *
     * @throws LogCorruptedException from {@code hasNext()} on an entry whose checksum does not verify
     */
    public CloseableIterator<LogEntry> readFrom(long zxid) {
        ensureOpen();
        return EntryIterator.after(queue, index, zxid);
    }

    // ------------------------------------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("txn log " + dir + " is closed");
        }
    }

    private void ensureWritable() {
        ensureOpen();
        if (failure != null) {
            throw new IllegalStateException("txn log " + dir + " failed", failure);
        }
    }

    /**
     * A write failed, perhaps only after it returned: the JVM reports a fault of a memory-mapped access (a full disk
     * under the mapped files) as an {@link InternalError} on the writing thread, wherever that thread runs next. The
     * files may then lack an entry that was synced through the journal. From here on nothing is appended or synced,
     * and no checkpoint (not even {@link #close}'s) vouches for the files: the next open puts back from the journal
     * what they lost. The first cause is kept.
     */
    public void failed(Throwable cause) {
        lock.lock();
        try {
            if (failure == null) {
                failure = Objects.requireNonNull(cause, "cause");
            }
        } finally {
            lock.unlock();
        }
    }

    /** The cause given to {@link #failed}, or null while the log works. */
    public Throwable failure() {
        return failure;
    }

    /** Forces what was appended (when forceSync) and closes the files. Close iterators first. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                if (checkpoints.journaled() && failure == null) {
                    checkpoints.run(true); // the next open has nothing to read from the journal
                    durableZxid = index.lastZxid();
                }
            } catch (LogCorruptedException e) {
                LOG.error("Txn log {} closed without a checkpoint: its files lack entries the journal holds, the next "
                        + "open puts them back", dir, e);
            } finally {
                closed = true;
                closeFiles();
                closeQuietly(lockChannel); // releases dirLock
            }
        } finally {
            lock.unlock();
        }
    }
}
