package io.corral.log;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads excerpts in order, skipping those a marker voided and checking each one's CRC32C (a mismatch is a
 * {@link LogCorruptedException}); the last excerpt's bytes stay in {@link #excerpt}.
 */
final class CheckedReader {
    static final int END = -1;
    private final ExcerptTailer tailer;
    private final LogIndex index;
    /** The bytes of the last excerpt read. */
    final ExcerptBytes excerpt = new ExcerptBytes();
    /** The Chronicle index of the last excerpt read. */
    long at;

    CheckedReader(ExcerptTailer tailer, LogIndex index) {
        this.tailer = tailer;
        this.index = index;
    }

    /** The kind of the next live excerpt ({@link EntryCodec#KIND_ENTRY} or a marker), or {@link #END}. */
    int next() {
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return END;
                }
                at = dc.index();
                if (index.isVoided(at)) {
                    continue;
                }
                excerpt.read(dc);
                int kind = EntryCodec.check(excerpt.buf, excerpt.len);
                if (kind == EntryCodec.CORRUPT) {
                    throw new LogCorruptedException(tailer.currentFile().toPath(), zxid(),
                            "CRC32C mismatch at index 0x" + Long.toHexString(at));
                }
                return kind;
            }
        }
    }

    long zxid() {
        return EntryCodec.zxid(excerpt.buf, excerpt.len);
    }
}
