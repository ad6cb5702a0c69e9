package io.corral.log;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

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
 * machine. {@code sync} forces everything appended so far to stable storage, then {@link #durableZxid()} is the
 * last appended zxid. Acknowledge a write only once its zxid is at most {@code durableZxid()}.
 */
public final class TxnLog implements AutoCloseable {
    private volatile java.util.function.LongConsumer syncListener = nanos -> { };

    private static final Logger LOG = LoggerFactory.getLogger(TxnLog.class);

    /** Every this many valid entries the zxid -> Chronicle index map gets a sample, so readFrom need not scan far. */
    static final int SAMPLE_INTERVAL = 1024;

    private static final long NONE = -1;

    private final Path dir;
    private final LogOptions options;
    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final ReentrantLock lock = new ReentrantLock();

    // ---- state guarded by lock (written) and readable without it where volatile/concurrent ----
    private final ExcerptAppender appender;
    private byte[] writeBuf = new byte[4096];
    private volatile long lastZxid;
    private volatile long durableZxid;
    private long lastValidIndex = NONE;
    private int sinceSample;
    /** Voided index ranges [from, to): copy-on-write so readers need no lock. */
    private volatile long[][] voids = new long[0][];
    /** Sparse map zxid -> Chronicle index of valid entries; holds at least the first valid entry of each cycle. */
    private final ConcurrentSkipListMap<Long, Long> samples = new ConcurrentSkipListMap<>();
    /** Cycle number -> what we know of that cycle's file. */
    private final ConcurrentSkipListMap<Integer, CycleInfo> cycles = new ConcurrentSkipListMap<>();

    // ---- sync bookkeeping (lock) ----
    private int appendCycle = Integer.MIN_VALUE;
    private Path appendFile;
    private boolean appendFileDirty;
    private final List<Path> rolledDirty = new ArrayList<>();
    private boolean dirDirty;
    private FileChannel appendChannel;
    private Path appendChannelFile;
    /** File offset just past the last excerpt written to appendFile. */
    private long appendPosition;
    private final Preallocation preallocation = new Preallocation();
    private final AtomicLong syncCount = new AtomicLong();
    private volatile boolean closed;

    private static final class CycleInfo {
        final int cycle;
        final Path file;
        /** The greatest zxid of a valid (not voided) entry in this file, or NONE. */
        long maxValidZxid = NONE;

        CycleInfo(int cycle, Path file) {
            this.cycle = cycle;
            this.file = file;
        }
    }

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
                .timeProvider(options.clock()::getAsLong)
                .syncMode(SyncMode.NONE) // we force the files ourselves, see sync()
                .build();
        this.rollCycle = queue.rollCycle();
        ExcerptAppender a = null;
        try {
            recover();
            a = queue.createAppender();
            a.singleThreadedCheckDisabled(true);
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
        this.appender = a;
    }

    /**
     * Opens (creating if need be) the log in {@code dir} and recovers it: every excerpt is read and its checksum
     * verified. A bad last excerpt (a crash mid-append) is dropped with a WARN naming the file, by a durable
     * marker; a bad excerpt anywhere else throws {@link LogCorruptedException}.
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
            log.repairTornTailIfAny();
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

    private record Bad(long index, Path file, long zxid, long previousZxid) {
    }

    private Bad tornTail;

    private void recover() {
        long start = System.nanoTime();
        List<Bad> bad = new ArrayList<>();
        long lastExcerpt = NONE;
        long count = 0;
        byte[] buf = new byte[4096];
        try (ExcerptTailer tailer = queue.createTailer()) {
            tailer.singleThreadedCheckDisabled(true);
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    long index = dc.index();
                    lastExcerpt = index;
                    count++;
                    CycleInfo ci = cycleInfo(rollCycle.toCycle(index), tailer.currentFile());
                    Bytes<?> bytes = dc.wire().bytes();
                    int len = (int) bytes.readRemaining();
                    if (buf.length < len) {
                        buf = new byte[Math.max(len, buf.length * 2)];
                    }
                    bytes.read(buf, 0, len);
                    int kind = EntryCodec.check(buf, len);
                    if (kind == EntryCodec.CORRUPT) {
                        bad.add(new Bad(index, ci.file, EntryCodec.zxid(buf, len), lastZxid));
                    } else if (kind == EntryCodec.KIND_MARKER) {
                        long voidFrom = EntryCodec.markerVoidFrom(buf);
                        applyVoid(voidFrom, index, EntryCodec.markerLastKeptZxid(buf),
                                EntryCodec.markerLastKeptIndex(buf));
                        bad.removeIf(b -> b.index >= voidFrom);
                    } else {
                        long zxid = EntryCodec.zxid(buf, len);
                        if (zxid <= lastZxid) {
                            throw new LogCorruptedException(ci.file, zxid, "entry at index 0x" + Long.toHexString(index)
                                    + " is out of order: it follows zxid 0x" + Long.toHexString(lastZxid));
                        }
                        onValidEntry(index, zxid, ci);
                    }
                }
            }
        }
        if (!bad.isEmpty()) {
            Bad first = bad.get(0);
            if (bad.size() == 1 && first.index == lastExcerpt) {
                tornTail = first;
            } else {
                throw new LogCorruptedException(first.file, first.zxid >= 0 ? first.zxid : first.previousZxid,
                        "CRC32C mismatch or undecodable entry at index 0x" + Long.toHexString(first.index)
                                + " (after zxid 0x" + Long.toHexString(first.previousZxid) + ") in the middle of the log");
            }
        }
        durableZxid = lastZxid;
        LOG.info("Opened txn log {}: {} excerpts in {} files, zxids 0x{}..0x{}, recovered in {} ms", dir, count,
                cycles.size(), Long.toHexString(firstZxid()), Long.toHexString(lastZxid),
                (System.nanoTime() - start) / 1_000_000);
    }

    private void repairTornTailIfAny() {
        Bad torn = tornTail;
        if (torn == null) {
            return;
        }
        tornTail = null;
        LOG.warn("Txn log file {} ends with a torn entry at index 0x{} (claimed zxid 0x{}): a crash mid-append. "
                        + "Dropping it; the log now ends at zxid 0x{}", torn.file, Long.toHexString(torn.index),
                Long.toHexString(torn.zxid), Long.toHexString(lastZxid));
        lock.lock();
        try {
            writeMarker(EntryCodec.REASON_TORN_TAIL, lastZxid, lastZxid, lastValidIndex, torn.index);
        } finally {
            lock.unlock();
        }
    }

    private CycleInfo cycleInfo(int cycle, File file) {
        CycleInfo ci = cycles.get(cycle);
        if (ci == null) {
            ci = new CycleInfo(cycle, file.toPath());
            cycles.put(cycle, ci);
        }
        return ci;
    }

    private void onValidEntry(long index, long zxid, CycleInfo ci) {
        if (ci.maxValidZxid == NONE || ++sinceSample >= SAMPLE_INTERVAL) {
            samples.put(zxid, index);
            sinceSample = 0;
        }
        ci.maxValidZxid = zxid;
        lastValidIndex = index;
        lastZxid = zxid;
    }

    /** Applies a marker at {@code markerIndex} that voids [voidFrom, markerIndex). */
    private void applyVoid(long voidFrom, long markerIndex, long lastKeptZxid, long lastKeptIndex) {
        long[][] old = voids;
        long[][] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = new long[]{voidFrom, markerIndex};
        voids = next;
        samples.tailMap(lastKeptZxid, false).clear();
        int voidCycle = rollCycle.toCycle(voidFrom);
        for (CycleInfo ci : cycles.tailMap(voidCycle, true).values()) {
            boolean keepsLast = ci.cycle == voidCycle && lastKeptIndex >= 0 && rollCycle.toCycle(lastKeptIndex) == voidCycle;
            ci.maxValidZxid = keepsLast ? lastKeptZxid : NONE;
        }
        lastZxid = lastKeptZxid;
        lastValidIndex = lastKeptIndex;
        sinceSample = 0;
    }

    private boolean isVoided(long index) {
        for (long[] v : voids) {
            if (index >= v[0] && index < v[1]) {
                return true;
            }
        }
        return false;
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
            ensureOpen();
            if (entry.zxid() <= lastZxid) {
                throw new IllegalArgumentException("zxid 0x" + Long.toHexString(entry.zxid())
                        + " is not greater than the last zxid 0x" + Long.toHexString(lastZxid));
            }
            int size = EntryCodec.ENTRY_OVERHEAD + entry.body().length;
            if (writeBuf.length < size) {
                writeBuf = new byte[Math.max(size, writeBuf.length * 2)];
            }
            int n = EntryCodec.encodeEntry(entry, writeBuf);
            long index = writeExcerpt(n);
            onValidEntry(index, entry.zxid(), cycleInfo(rollCycle.toCycle(index), appendFile.toFile()));
        } finally {
            lock.unlock();
        }
    }

    /** Writes writeBuf[0, n) as one excerpt; keeps the bookkeeping of which files need forcing. */
    private long writeExcerpt(int n) {
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(writeBuf, 0, n);
            appendPosition = dc.wire().bytes().writePosition();
        }
        long index = appender.lastIndexAppended();
        int cycle = rollCycle.toCycle(index);
        if (cycle != appendCycle) {
            if (appendFile != null) {
                rolledDirty.add(appendFile); // holds our last entries and, after a roll, Chronicle's EOF mark
            }
            appendCycle = cycle;
            appendFile = appender.currentFile().toPath();
            dirDirty = true;
        }
        appendFileDirty = true;
        return index;
    }

    /**
     * Makes everything appended so far durable: forces the files written since the last sync (and, after a roll,
     * the directory) to stable storage. With {@code forceSync == false} nothing is forced, but
     * {@link #durableZxid()} still advances.
     */
    public void sync() {
        lock.lock();
        try {
            ensureOpen();
            long target = lastZxid;
            if (target == durableZxid) {
                return;
            }
            if (options.forceSync()) {
                long started = System.nanoTime();
                forceDirty();
                syncListener.accept(System.nanoTime() - started);
            }
            durableZxid = target;
            syncCount.incrementAndGet();
        } finally {
            lock.unlock();
        }
    }

    private void forceDirty() {
        try {
            for (Path f : rolledDirty) {
                if (!f.equals(appendFile)) {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                        ch.force(false);
                    }
                }
            }
            rolledDirty.clear();
            if (appendFileDirty) {
                openAppendChannel();
                // fdatasync of a file flushes the pages dirtied through Chronicle's shared mapping as well
                // (what msync(MS_SYNC) would do), including Chronicle's header and index pages.
                appendChannel.force(false);
                appendFileDirty = false;
            }
            if (dirDirty) {
                Path metadata = dir.resolve("metadata.cq4t");
                if (Files.exists(metadata)) {
                    try (FileChannel ch = FileChannel.open(metadata, StandardOpenOption.READ)) {
                        ch.force(false);
                    }
                }
                forceDirectory(dir);
                dirDirty = false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force txn log " + dir + " to disk", e);
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

    private void openAppendChannel() throws IOException {
        if (!appendFile.equals(appendChannelFile)) {
            closeAppendChannel();
            appendChannel = FileChannel.open(appendFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
            appendChannelFile = appendFile;
        }
    }

    /**
     * Keeps the blocks just ahead of the last entry allocated (see {@link Preallocation}). Called by the log writer
     * between batches; a no-op without forceSync.
     */
    public void preallocate() {
        if (!options.forceSync()) {
            return;
        }
        lock.lock();
        try {
            ensureOpen();
            if (appendFile == null) {
                return;
            }
            openAppendChannel();
            preallocation.topUp(appendFile, appendChannel, appendPosition);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pre-allocate txn log " + appendFile, e);
        } finally {
            lock.unlock();
        }
    }

    private void closeAppendChannel() throws IOException {
        if (appendChannel != null) {
            appendChannel.close();
            appendChannel = null;
            appendChannelFile = null;
        }
    }

    private void writeMarker(byte reason, long keepZxid, long lastKeptZxid, long lastKeptIndex, long voidFrom) {
        int n = EntryCodec.encodeMarker(reason, keepZxid, lastKeptZxid, lastKeptIndex, voidFrom, writeBuf);
        long markerIndex = writeExcerpt(n);
        cycleInfo(rollCycle.toCycle(markerIndex), appendFile.toFile());
        forceDirty(); // a truncation must be durable whatever forceSync says
        applyVoid(voidFrom, markerIndex, lastKeptZxid, lastKeptIndex);
        durableZxid = lastZxid;
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
            ensureOpen();
            if (zxid >= lastZxid) {
                return;
            }
            long keptZxid = 0;
            long keptIndex = NONE;
            long voidFrom = NONE;
            Map.Entry<Long, Long> sample = samples.floorEntry(zxid);
            try (ExcerptTailer tailer = queue.createTailer()) {
                tailer.singleThreadedCheckDisabled(true);
                if (sample != null) {
                    if (!tailer.moveToIndex(sample.getValue())) {
                        throw new IllegalStateException("cannot find index 0x" + Long.toHexString(sample.getValue()));
                    }
                    keptZxid = sample.getKey();
                    keptIndex = sample.getValue();
                }
                CheckedReader reader = new CheckedReader(tailer);
                int kind;
                while (voidFrom == NONE && (kind = reader.next()) != CheckedReader.END) {
                    if (kind == EntryCodec.KIND_ENTRY) {
                        long z = reader.zxid();
                        if (z <= zxid) {
                            keptZxid = z;
                            keptIndex = reader.index;
                        } else {
                            voidFrom = reader.index;
                        }
                    }
                }
            }
            if (voidFrom == NONE) {
                throw new IllegalStateException("last zxid is 0x" + Long.toHexString(lastZxid)
                        + " but no entry after 0x" + Long.toHexString(zxid) + " was found");
            }
            long before = lastZxid;
            writeMarker(EntryCodec.REASON_TRUNCATE, zxid, keptZxid, keptIndex, voidFrom);
            LOG.info("Truncated txn log {} after zxid 0x{}: dropped 0x{}..0x{}, log now ends at 0x{}", dir,
                    Long.toHexString(zxid), Long.toHexString(zxid + 1), Long.toHexString(before),
                    Long.toHexString(lastZxid));
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
            List<Path> deleted = new ArrayList<>();
            if (cycles.isEmpty()) {
                return deleted;
            }
            int newest = Math.max(cycles.lastKey(), appendCycle);
            Iterator<CycleInfo> it = cycles.values().iterator();
            while (it.hasNext()) {
                CycleInfo ci = it.next();
                if (ci.cycle >= newest || ci.maxValidZxid > zxid) {
                    break;
                }
                try {
                    Files.deleteIfExists(ci.file);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete txn log file " + ci.file, e);
                }
                it.remove();
                deleted.add(ci.file);
                samples.values().removeIf(index -> rollCycle.toCycle(index) <= ci.cycle);
            }
            if (!deleted.isEmpty()) {
                queue.refreshDirectoryListing();
                dirDirty = true;
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
        return lastZxid;
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
        Map.Entry<Long, Long> first = samples.firstEntry();
        return first == null ? 0 : first.getKey();
    }

    /** Hears how long each forced {@link #sync()} took, in nanoseconds (fsynctime); called under the log's lock. */
    public void onSync(java.util.function.LongConsumer listener) {
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
        List<Path> files = new ArrayList<>();
        for (CycleInfo ci : cycles.values()) {
            files.add(ci.file);
        }
        return files;
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
        ExcerptTailer tailer = queue.createTailer();
        tailer.singleThreadedCheckDisabled(true);
        Map.Entry<Long, Long> sample = samples.floorEntry(zxid);
        if (sample != null && !tailer.moveToIndex(sample.getValue())) {
            tailer.toStart(); // purged meanwhile
        }
        return new Reader(tailer, zxid);
    }

    /**
     * Reads excerpts in order, skipping those a marker voided and checking each one's CRC32C (a mismatch is a
     * {@link LogCorruptedException}); the last excerpt's bytes stay in {@link #buf}.
     */
    private final class CheckedReader {
        static final int END = -1;
        private final ExcerptTailer tailer;
        byte[] buf = new byte[4096];
        int len;
        long index;

        CheckedReader(ExcerptTailer tailer) {
            this.tailer = tailer;
        }

        /** The kind of the next live excerpt ({@link EntryCodec#KIND_ENTRY} or a marker), or {@link #END}. */
        int next() {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return END;
                    }
                    index = dc.index();
                    if (isVoided(index)) {
                        continue;
                    }
                    Bytes<?> bytes = dc.wire().bytes();
                    len = (int) bytes.readRemaining();
                    if (buf.length < len) {
                        buf = new byte[Math.max(len, buf.length * 2)];
                    }
                    bytes.read(buf, 0, len);
                    int kind = EntryCodec.check(buf, len);
                    if (kind == EntryCodec.CORRUPT) {
                        throw new LogCorruptedException(tailer.currentFile().toPath(), zxid(),
                                "CRC32C mismatch at index 0x" + Long.toHexString(index));
                    }
                    return kind;
                }
            }
        }

        long zxid() {
            return EntryCodec.zxid(buf, len);
        }
    }

    private final class Reader extends LookaheadIterator<LogEntry> implements CloseableIterator<LogEntry> {
        private final ExcerptTailer tailer;
        private final CheckedReader reader;
        private final long after;
        private boolean closedReader;

        Reader(ExcerptTailer tailer, long after) {
            this.tailer = tailer;
            this.reader = new CheckedReader(tailer);
            this.after = after;
        }

        @Override
        protected LogEntry advance() {
            if (closedReader) {
                return null;
            }
            int kind;
            while ((kind = reader.next()) != CheckedReader.END) {
                if (kind == EntryCodec.KIND_ENTRY && reader.zxid() > after) {
                    return EntryCodec.decodeEntry(reader.buf, reader.len);
                }
            }
            return null;
        }

        @Override
        public void close() {
            if (!closedReader) {
                closedReader = true;
                tailer.close();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("txn log " + dir + " is closed");
        }
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
                if (options.forceSync() && (appendFileDirty || !rolledDirty.isEmpty() || dirDirty)) {
                    forceDirty();
                    durableZxid = lastZxid;
                }
            } finally {
                closed = true;
                try {
                    closeAppendChannel();
                } catch (IOException e) {
                    LOG.warn("Closing {}: {}", appendFile, e.toString());
                }
                appender.close();
                queue.close();
                closeQuietly(lockChannel); // releases dirLock
            }
        } finally {
            lock.unlock();
        }
    }
}
