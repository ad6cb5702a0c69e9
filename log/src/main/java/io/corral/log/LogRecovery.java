package io.corral.log;

import net.openhft.chronicle.bytes.Bytes;
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
 * {@link LogIndex} is filled. A bad last excerpt (a crash mid-append) is returned as the torn tail, for the log to
 * drop by a durable marker; a bad excerpt anywhere else is a {@link LogCorruptedException}.
 */
final class LogRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(TxnLog.class);

    /** A bad excerpt: where it is, the zxid it claims, and the last good zxid (and its index) before it. */
    record Bad(long index, Path file, long zxid, long previousZxid, long previousIndex) {
    }

    private LogRecovery() {
    }

    /**
     * Scans the whole queue into {@code index}; returns the first bad excerpt to drop, with everything after it, or
     * null when there is none. That is a torn last excerpt, or any bad excerpt after {@code rebuildableAfter}: the
     * entries after that zxid are also in the log's journal ({@link SyncJournal}), and a machine crash may have left
     * the Chronicle pages written since its checkpoint partly on disk.
     */
    static Bad scan(SingleChronicleQueue queue, LogIndex index, Path dir, long rebuildableAfter) {
        long start = System.nanoTime();
        List<Bad> bad = new ArrayList<>();
        long lastExcerpt = LogIndex.NONE;
        long count = 0;
        byte[] buf = new byte[4096];
        try (ExcerptTailer tailer = queue.createTailer()) {
            tailer.singleThreadedCheckDisabled(true);
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    long at = dc.index();
                    lastExcerpt = at;
                    count++;
                    LogIndex.CycleInfo ci = index.cycleInfo(at, tailer.currentFile());
                    Bytes<?> bytes = dc.wire().bytes();
                    int len = (int) bytes.readRemaining();
                    if (buf.length < len) {
                        buf = new byte[Math.max(len, buf.length * 2)];
                    }
                    bytes.read(buf, 0, len);
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
            if (bad.size() == 1 && first.index == lastExcerpt || first.previousZxid >= rebuildableAfter) {
                torn = first;
            } else {
                throw new LogCorruptedException(first.file, first.zxid >= 0 ? first.zxid : first.previousZxid,
                        "CRC32C mismatch or undecodable entry at index 0x" + Long.toHexString(first.index)
                                + " (after zxid 0x" + Long.toHexString(first.previousZxid) + ") in the middle of the log");
            }
        }
        LOG.info("Opened txn log {}: {} excerpts in {} files, zxids 0x{}..0x{}, recovered in {} ms", dir, count,
                index.fileCount(), Long.toHexString(index.firstZxid()), Long.toHexString(index.lastZxid()),
                (System.nanoTime() - start) / 1_000_000);
        return torn;
    }
}
