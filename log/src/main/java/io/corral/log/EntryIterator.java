package io.corral.log;

import net.openhft.chronicle.queue.ExcerptTailer;

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

    @Override
    protected LogEntry advance() {
        if (closed) {
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
        if (!closed) {
            closed = true;
            tailer.close();
        }
    }
}
