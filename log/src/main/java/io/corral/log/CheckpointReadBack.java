package io.corral.log;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.nio.file.Path;

/**
 * Reads back, before a checkpoint vouches for them, the entries appended to the mapped files since the last one.
 * A write through a memory mapping can fail without the writer knowing at once: when a page cannot be allocated (a
 * full disk) the JVM skips the faulting store and reports it later, as an {@link InternalError} wherever the writing
 * thread runs next. Meanwhile the entry is durable in the journal and may be acknowledged; a checkpoint taken in
 * that window would start the journal's next generation, and the only whole copy of the entry with it. Each entry
 * is read once, in order, on a tailer kept between checkpoints, so a checkpoint reads what was appended since the
 * last one (a quarter of a second's entries, from the page cache).
 *
 * <p>Used under the log's lock.
 */
final class CheckpointReadBack implements AutoCloseable {
    private final SingleChronicleQueue queue;
    private final LogIndex index;
    /** Every entry up to this zxid was read back (or verified when the log was opened). */
    private long checkedZxid;
    private ExcerptTailer tailer;
    private CheckedReader reader;

    CheckpointReadBack(SingleChronicleQueue queue, LogIndex index, long checkedZxid) {
        this.queue = queue;
        this.index = index;
        this.checkedZxid = checkedZxid;
    }

    /**
     * Reads the entries after the last one read back, up to {@code zxid}, the log's last.
     *
     * @throws LogCorruptedException when an entry's checksum does not verify, or the files end before {@code zxid}
     */
    void checkUpTo(long zxid, Path appendFile) {
        if (zxid <= checkedZxid) {
            return;
        }
        if (tailer == null) {
            position();
        }
        long last = checkedZxid;
        int kind;
        while (last < zxid && (kind = reader.next()) != CheckedReader.END) {
            if (kind == EntryCodec.KIND_ENTRY) {
                last = Math.max(last, reader.zxid());
            }
        }
        if (last < zxid) {
            throw new LogCorruptedException(appendFile, last, "the log's mapped files end at zxid 0x"
                    + Long.toHexString(last) + " where 0x" + Long.toHexString(zxid) + " was appended to them: a write "
                    + "to them did not land (a full disk?), or they are damaged past it; the journal holds what they "
                    + "lack");
        }
        checkedZxid = zxid;
    }

    /**
     * The log's history was cut after {@code zxid} (a truncation marker) and every entry up to it was read back or
     * voided: reading starts afresh after it.
     */
    void restartAfter(long zxid) {
        closeTailer();
        checkedZxid = zxid;
    }

    private void position() {
        tailer = EntryIterator.tailerNear(queue, index, checkedZxid);
        reader = new CheckedReader(tailer, index);
        // skips to the last entry read back, or past it (then the one it stops at was just read, and checked)
        int kind;
        while (checkedZxid > 0 && (kind = reader.next()) != CheckedReader.END) {
            if (kind == EntryCodec.KIND_ENTRY && reader.zxid() >= checkedZxid) {
                checkedZxid = reader.zxid();
                return;
            }
        }
    }

    private void closeTailer() {
        if (tailer != null) {
            tailer.close();
            tailer = null;
            reader = null;
        }
    }

    @Override
    public void close() {
        closeTailer();
    }
}
