package io.corral.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;

/**
 * What makes a synced entry durable: a pre-allocated file beside the Chronicle files that each sync appends the
 * batch's entries to with plain writes and forces with one {@code fdatasync}, as ZooKeeper's log does.
 *
 * <p>Why not force the Chronicle file itself: it is written through a shared memory mapping, and the kernel must
 * write-protect every mapped page it writes back, so that it notices the next write to it. On two cores that is a
 * TLB shoot-down on the other core for each of the two or three pages a small batch dirties (the data, Chronicle's
 * header and index pages), and a page fault on the next append to each: about a third of the server's CPU per write
 * at 2,000 writes a second. Written with {@code pwrite}, the journal's pages are never mapped.
 *
 * <p>The Chronicle files are forced at a <em>checkpoint</em> only: when the journal is full, when Chronicle starts
 * a file or the directory changes, before and after a truncation, and on close. A checkpoint starts a new
 * generation of the journal: its header names the generation and the last zxid the Chronicle files hold durably,
 * and records of older generations left in the file are no longer read. So the journal holds, from its header on,
 * every entry synced since the last checkpoint: after a machine crash, {@link TxnLog#open} appends those the
 * Chronicle files lost back to them. After a crash of the process alone the page cache kept the Chronicle
 * files whole and nothing needs replaying.
 *
 * <pre>
 * header (at 0, HEADER_SIZE bytes reserved): magic i32 | version i32 | generation i64 | checkpointZxid i64 | crc32c i32
 * record (from HEADER_SIZE on):             length i32 | generation i64 | the entry as EntryCodec encodes it (length bytes)
 * </pre>
 *
 * Reading stops at the first record that is not whole: a length out of range, another generation (an older
 * record, or zeros), or an entry whose own CRC32C does not verify (a sync cut short). Used under the log's lock.
 */
final class SyncJournal implements AutoCloseable {
    static final String FILE = "journal";
    static final int HEADER_SIZE = 4096;
    static final int RECORD_OVERHEAD = 12;
    /** The smallest journal; larger when an entry of the log's largest size needs it (see {@link #sizeFor}). */
    static final long MIN_SIZE = 16L << 20;

    private static final int MAGIC = 0x4C4E4A43; // "CJNL"
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 28;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] ZEROS = new byte[64 * 1024];
    /** Allocated ahead of the write position: at least this much... */
    static final long LOW_WATER = 1 << 20;
    /** ...topped up to this much at a time. */
    static final long AHEAD = 4 << 20;

    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final int maxRecord;
    /** Records added since the last {@link #force}, not yet written. */
    private final ByteBuffer staged = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private long generation;
    private long checkpointZxid;
    /** Where the next staged byte goes in the file. */
    private long writePosition;
    /** This process wrote zeros up to here (see {@link #allocateAhead}). */
    private long zeroedUpTo;

    private SyncJournal(Path file, FileChannel channel, long size, int maxRecord) {
        this.file = file;
        this.channel = channel;
        this.size = size;
        this.maxRecord = maxRecord;
    }

    /** The journal's length for a log whose entries may be {@code maxEntryBytes} long: four of them at least. */
    static long sizeFor(int maxEntryBytes) {
        return Math.max(MIN_SIZE, 4L * (RECORD_OVERHEAD + EntryCodec.ENTRY_OVERHEAD + (long) maxEntryBytes));
    }

    /**
     * Opens the journal in {@code dir}, or creates it (at its full length, sparse, forced with the directory
     * before it is used) with {@code lastZxid}, the log's last zxid, as its checkpoint. A journal whose
     * header does not verify is treated as empty: a header is rewritten only after the Chronicle files were
     * forced, so a header torn by a machine crash had nothing after it to lose.
     */
    static SyncJournal open(Path dir, int maxEntryBytes, long lastZxid) {
        Path file = dir.resolve(FILE);
        long size = sizeFor(maxEntryBytes);
        int maxRecord = RECORD_OVERHEAD + EntryCodec.ENTRY_OVERHEAD + maxEntryBytes;
        boolean existed = Files.exists(file);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the txn log's journal " + file, e);
        }
        SyncJournal journal = new SyncJournal(file, channel, size, maxRecord);
        try {
            if (channel.size() < size) {
                channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
                channel.force(true);
            }
            Header header = existed ? readHeader(channel) : null;
            if (header != null) {
                journal.generation = header.generation;
                journal.checkpointZxid = header.checkpointZxid;
                journal.writePosition = HEADER_SIZE;
            } else {
                // a number no record left in the file carries: a torn header's generation is unknown
                journal.generation = ThreadLocalRandom.current().nextLong();
                journal.startGeneration(lastZxid, true);
                TxnLog.forceDirectory(dir);
            }
            return journal;
        } catch (IOException e) {
            journal.closeQuietly();
            throw new UncheckedIOException("cannot prepare the txn log's journal " + file, e);
        } catch (RuntimeException e) {
            journal.closeQuietly();
            throw e;
        }
    }

    /**
     * The checkpoint of the journal in {@code dir}: the last zxid its Chronicle files held durably when the journal's
     * current generation started; {@code Long.MAX_VALUE} when there is no journal, or its header does not verify.
     */
    static long checkpointIn(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return Long.MAX_VALUE;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(ch);
            return h != null ? h.checkpointZxid : Long.MAX_VALUE;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the txn log's journal " + file, e);
        }
    }

    /**
     * Writes zeros over the next {@link #AHEAD} bytes once fewer than {@link #LOW_WATER} are left ahead of the write
     * position that this process wrote zeros over or records to: a sync then writes into blocks the file system
     * has allocated already, and does not have to commit its metadata too. A block is allocated once; a new
     * process writes zeros over what it reaches for the first time again, which costs a write, not a sync.
     */
    void allocateAhead() {
        if (!allocationDue()) {
            return;
        }
        long ahead = Math.max(writePosition, zeroedUpTo);
        long to = Math.min(size, writePosition + AHEAD);
        try {
            for (long at = ahead; at < to; ) {
                int n = (int) Math.min(ZEROS.length, to - at);
                at += channel.write(ByteBuffer.wrap(ZEROS, 0, n), at);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot allocate the txn log's journal " + file, e);
        }
        zeroedUpTo = to;
    }

    /** Whether {@link #allocateAhead} would write zeros now. */
    boolean allocationDue() {
        long ahead = Math.max(writePosition, zeroedUpTo);
        return ahead - writePosition < LOW_WATER && ahead < size;
    }

    private record Header(long generation, long checkpointZxid) {
    }

    /** The header, or null when the file is too short for one or it does not verify. */
    private static Header readHeader(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
        while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
            // read until full or end of file
        }
        byte[] h = b.array();
        if (b.hasRemaining() || (int) INT.get(h, 0) != MAGIC || (int) INT.get(h, 4) != VERSION
                || (int) INT.get(h, HEADER_BYTES - 4) != crc(h, 0, HEADER_BYTES - 4)) {
            return null;
        }
        return new Header((long) LONG.get(h, 8), (long) LONG.get(h, 16));
    }

    /** The last zxid the Chronicle files held durably when this generation started. */
    long checkpointZxid() {
        return checkpointZxid;
    }

    /** Whether an entry of {@code entryLength} bytes still fits before the journal needs a checkpoint. */
    boolean fits(int entryLength) {
        return writePosition + staged.position() + RECORD_OVERHEAD + entryLength <= size;
    }

    /** Stages {@code entry[0, length)}, an encoded entry, for the next {@link #force}; call {@link #fits} first. */
    void add(byte[] entry, int length) {
        if (!fits(length) || RECORD_OVERHEAD + length > maxRecord) {
            throw new IllegalStateException("journal " + file + " has no room for an entry of " + length + " bytes");
        }
        try {
            if (staged.remaining() < RECORD_OVERHEAD + length) {
                writeStaged();
            }
            if (staged.remaining() < RECORD_OVERHEAD + length) { // larger than the staging buffer: written at once
                ByteBuffer head = ByteBuffer.allocate(RECORD_OVERHEAD).order(ByteOrder.LITTLE_ENDIAN);
                head.putInt(length).putLong(generation).flip();
                writePosition = writeFully(head, writePosition);
                writePosition = writeFully(ByteBuffer.wrap(entry, 0, length), writePosition);
                return;
            }
            staged.putInt(length).putLong(generation).put(entry, 0, length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the txn log's journal " + file, e);
        }
    }

    /** Writes what was staged and forces it to stable storage: every record added so far is then durable. */
    void force() {
        try {
            writeStaged();
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force the txn log's journal " + file + " to disk", e);
        }
    }

    /**
     * Starts a new generation after the Chronicle files were forced up to {@code lastZxid}: what was staged is
     * dropped (the Chronicle files hold it now) and the next record goes right after the header. The header is
     * forced at once when {@code durable}; otherwise by the next {@link #force}, with the first records after it,
     * which is soon enough when nothing relies on the new header before them: until then the old header's records
     * are all at most {@code lastZxid}, which the files hold.
     */
    void checkpoint(long lastZxid, boolean durable) {
        try {
            startGeneration(lastZxid, durable);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the txn log's journal " + file, e);
        }
    }

    private void startGeneration(long lastZxid, boolean durable) throws IOException {
        staged.clear();
        byte[] h = new byte[HEADER_BYTES];
        INT.set(h, 0, MAGIC);
        INT.set(h, 4, VERSION);
        LONG.set(h, 8, generation + 1);
        LONG.set(h, 16, lastZxid);
        INT.set(h, HEADER_BYTES - 4, crc(h, 0, HEADER_BYTES - 4));
        writeFully(ByteBuffer.wrap(h), 0);
        if (durable) {
            channel.force(false);
        }
        generation++;
        checkpointZxid = lastZxid;
        writePosition = HEADER_SIZE;
    }

    /** Hands every whole record of the current generation, in order, to {@code entries}: (buffer, length). */
    void replay(EntrySink entries) {
        try {
            writePosition = readRecords(channel, size, maxRecord, generation, entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the txn log's journal " + file, e);
        }
    }

    /**
     * The records of the journal in {@code dir}, read only (for the offline tools): nothing when there is no
     * journal or its header does not verify.
     */
    static void readOnly(Path dir, EntrySink entries) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(ch);
            if (h != null) {
                long size = ch.size();
                readRecords(ch, size, (int) Math.min(Integer.MAX_VALUE, size), h.generation, entries);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the txn log's journal " + file, e);
        }
    }

    /** Reads the whole records of {@code generation} from the header on; returns where the first other one starts. */
    private static long readRecords(FileChannel ch, long size, int maxRecord, long generation, EntrySink entries)
            throws IOException {
        ByteBuffer head = ByteBuffer.allocate(RECORD_OVERHEAD).order(ByteOrder.LITTLE_ENDIAN);
        byte[] buf = new byte[4096];
        long at = HEADER_SIZE;
        while (at + RECORD_OVERHEAD <= size) {
            head.clear();
            readFully(ch, head, at);
            int length = head.getInt(0);
            if (length < EntryCodec.ENTRY_OVERHEAD || length > maxRecord - RECORD_OVERHEAD
                    || at + RECORD_OVERHEAD + length > size || head.getLong(4) != generation) {
                break;
            }
            if (buf.length < length) {
                buf = new byte[Math.max(length, buf.length * 2)];
            }
            readFully(ch, ByteBuffer.wrap(buf, 0, length), at + RECORD_OVERHEAD);
            if (EntryCodec.check(buf, length) != EntryCodec.KIND_ENTRY) {
                break;
            }
            entries.accept(buf, length);
            at += RECORD_OVERHEAD + length;
        }
        return at;
    }

    /** Receives one encoded entry of the journal; the buffer is reused for the next. */
    interface EntrySink {
        void accept(byte[] entry, int length);
    }

    private void writeStaged() throws IOException {
        if (staged.position() == 0) {
            return;
        }
        staged.flip();
        writePosition = writeFully(staged, writePosition);
        staged.clear();
    }

    private long writeFully(ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            at += channel.write(b, at);
        }
        return at;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, at);
            if (n < 0) {
                throw new IOException("unexpected end of the journal at offset " + at);
            }
            at += n;
        }
    }

    private static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
