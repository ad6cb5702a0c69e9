package io.corral.log;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.util.Map;

/** {@link TxnLog#readFrom}'s iterator: the live entries after a zxid, on a tailer of its own. */
final class EntryIterator extends LookaheadIterator<LogEntry> implements CloseableIterator<LogEntry> {
    private final ExcerptTailer tailer;
    private final CheckedReader reader;
    private final long after;
    private boolean closed;

    EntryIterator(ExcerptTailer tailer, LogIndex index, long after) {
        this.tailer = tailer;
        this.reader = new CheckedReader(tailer, index);
        this.after = after;
    }

    /** The entries of {@code queue} after {@code zxid}, on a tailer of their own placed by the index's samples. */
    static EntryIterator after(SingleChronicleQueue queue, LogIndex index, long zxid) {
        return new EntryIterator(tailerNear(queue, index, zxid), index, zxid);
    }

    /**
     * A tailer of its own at the index's sample at or before {@code zxid} (at most a sample interval before it), or
     * at the start when there is none: read on from there, skipping what is not after zxid.
     */
    static ExcerptTailer tailerNear(SingleChronicleQueue queue, LogIndex index, long zxid) {
        ExcerptTailer tailer = queue.createTailer();
        tailer.singleThreadedCheckDisabled(true);
        Map.Entry<Long, Long> sample = index.sampleAtOrBefore(zxid);
        if (sample != null && !tailer.moveToIndex(sample.getValue())) {
            tailer.toStart(); // purged meanwhile
        }
        return tailer;
    }

    @Override
    protected LogEntry advance() {
        if (closed) {
            return null;
        }
        int kind;
        while ((kind = reader.next()) != CheckedReader.END) {
            if (kind == EntryCodec.KIND_ENTRY && reader.zxid() > after) {
                return EntryCodec.decodeEntry(reader.excerpt.buf, reader.excerpt.len);
            }
        }
        return null;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            tailer.close();
        }
    }
}
