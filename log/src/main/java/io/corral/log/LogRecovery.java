package io.corral.log;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The scan of a log being opened: every excerpt is read and its checksum verified, markers are applied, and the
 * {@link LogIndex} is filled; when the {@link IndexCheckpoint} saved by an earlier run still fits the files, the
 * scan starts from it and reads only the excerpts after it. A bad last excerpt (a crash mid-append) is returned as
 * the torn tail, for the log to drop by a durable marker; a bad excerpt anywhere else is a
 * {@link LogCorruptedException}.
 */
final class LogRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(TxnLog.class);

    /** A bad excerpt: where it is, the zxid it claims, and the last good zxid (and its index) before it. */
    record Bad(long index, Path file, long zxid, long previousZxid, long previousIndex) {
    }

    /** What the scan found: the log's index, the torn tail to drop (or null), and how many excerpts it read. */
    record Result(LogIndex index, Bad torn, long excerptsRead) {
    }

    private LogRecovery() {
    }

    /**
     * Scans the queue (from the saved index on, when {@code fromSavedIndex} and it fits) into the log's index; the
     * torn tail is the first bad excerpt to drop, with everything after it, or null when there is none. That is a torn
     * last excerpt, or any bad excerpt after {@code rebuildableAfter}: the entries after that zxid are also in the
     * log's journal ({@link SyncJournal}), and a machine crash may have left the Chronicle pages written since its
     * checkpoint partly on disk.
     */
    static Result scan(SingleChronicleQueue queue, Path dir, long rebuildableAfter, boolean fromSavedIndex) {
        long start = System.nanoTime();
        List<Bad> bad = new ArrayList<>();
        long count = 0;
        ExcerptBytes x = new ExcerptBytes();
        LogIndex index;
        long resumedAfter;
        try (ExcerptTailer tailer = queue.createTailer()) {
            tailer.singleThreadedCheckDisabled(true);
            index = fromSavedIndex ? resume(tailer, IndexCheckpoint.load(dir, queue.rollCycle()), x) : null;
            resumedAfter = index == null ? LogIndex.NONE : index.lastExcerpt();
            if (index == null) {
                index = new LogIndex(queue.rollCycle());
                tailer.toStart();
            }
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    long at = dc.index();
                    count++;
                    LogIndex.CycleInfo ci = index.cycleInfo(at, tailer.currentFile());
                    x.read(dc);
                    byte[] buf = x.buf;
                    int len = x.len;
                    index.onExcerpt(at, buf, len);
                    int kind = EntryCodec.check(buf, len);
                    if (kind == EntryCodec.CORRUPT) {
                        bad.add(new Bad(at, ci.file, EntryCodec.zxid(buf, len), index.lastZxid(), index.lastValidIndex()));
                    } else if (kind == EntryCodec.KIND_MARKER) {
                        long voidFrom = EntryCodec.markerVoidFrom(buf);
                        index.applyVoid(voidFrom, at, EntryCodec.markerLastKeptZxid(buf),
                                EntryCodec.markerLastKeptIndex(buf));
                        bad.removeIf(b -> b.index >= voidFrom);
                    } else {
                        long zxid = EntryCodec.zxid(buf, len);
                        if (zxid <= index.lastZxid()) {
                            throw new LogCorruptedException(ci.file, zxid, "entry at index 0x" + Long.toHexString(at)
                                    + " is out of order: it follows zxid 0x" + Long.toHexString(index.lastZxid()));
                        }
                        index.onValidEntry(at, zxid, ci);
                    }
                }
            }
        }
        Bad torn = null;
        if (!bad.isEmpty()) {
            Bad first = bad.get(0);
            if (bad.size() == 1 && first.index == index.lastExcerpt() || first.previousZxid >= rebuildableAfter) {
                torn = first;
            } else {
                throw new LogCorruptedException(first.file, first.zxid >= 0 ? first.zxid : first.previousZxid,
                        "CRC32C mismatch or undecodable entry at index 0x" + Long.toHexString(first.index)
                                + " (after zxid 0x" + Long.toHexString(first.previousZxid) + ") in the middle of the log");
            }
        }
        LOG.info("Opened txn log {}: {} excerpts read ({}) in {} files, zxids 0x{}..0x{}, recovered in {} ms", dir,
                count, resumedAfter == LogIndex.NONE ? "all of them"
                        : "those after index 0x" + Long.toHexString(resumedAfter) + ", from " + IndexCheckpoint.FILE,
                index.fileCount(), Long.toHexString(index.firstZxid()), Long.toHexString(index.lastZxid()),
                (System.nanoTime() - start) / 1_000_000);
        return new Result(index, torn, count);
    }

    /**
     * {@code saved} with the tailer just past its last excerpt, when that excerpt is still in place as it was; else
     * null.
     */
    private static LogIndex resume(ExcerptTailer tailer, LogIndex saved, ExcerptBytes x) {
        if (saved == null) {
            return null;
        }
        long at = saved.lastExcerpt();
        if (tailer.moveToIndex(at)) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (dc.isPresent() && dc.index() == at) {
                    x.read(dc);
                    if (saved.isLastExcerpt(at, x.buf, x.len) && EntryCodec.check(x.buf, x.len) != EntryCodec.CORRUPT) {
                        return saved;
                    }
                }
            }
        }
        LOG.info("Not resuming from {}: its last excerpt (index 0x{}) is not in the log as it was; scanning the whole "
                + "log", IndexCheckpoint.FILE, Long.toHexString(at));
        return null;
    }
}
