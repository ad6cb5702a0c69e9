package io.corral.server.importer;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Adler32;

/**
 * Reads the records of one ZooKeeper txn log file ({@code log.<hex zxid>}). Its layout: a file header (magic "ZKLG",
 * version 2, dbid), then per txn the Adler32 of its bytes (a long), the bytes (int length, then the txn), and the
 * end-of-record byte 'B'. ZooKeeper pre-allocates the file with zeros, so a record of length 0 ends the log.
 *
 * <p>As ZooKeeper does when it loads, a record cut short by a crash (the file ends inside it, or its 'B' is missing)
 * is a torn tail: reading stops there and {@link #tornAt()} says where. Unlike ZooKeeper, which then silently skips
 * whatever the rest of the file holds, a torn record or an end-of-log record followed by anything but zeros is
 * reported as damage, as is a checksum that does not match (ZooKeeper refuses to start on that too).
 */
final class ZkTxnLogFile implements AutoCloseable {
    static final int MAGIC = 0x5A4B4C47; // "ZKLG"
    static final int VERSION = 2;
    static final int HEADER_SIZE = 16;
    private static final byte END_OF_RECORD = 'B';

    /** One txn's bytes and where they are. */
    record Record(Path file, long offset, byte[] bytes) {
    }

    private final Path file;
    private final InputStream in;
    private final JuteStream jute;
    private final Adler32 crc = new Adler32();
    private long tornAt = -1;
    private String tornReason;
    private long endAt = -1;

    private ZkTxnLogFile(Path file, InputStream in) {
        this.file = file;
        this.in = in;
        this.jute = new JuteStream(in, file, 0);
    }

    static ZkTxnLogFile open(Path file) throws IOException {
        ZkTxnLogFile log = new ZkTxnLogFile(file, new BufferedInputStream(Files.newInputStream(file), 64 * 1024));
        try {
            log.readHeader();
            return log;
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    private void readHeader() throws IOException {
        if (Files.size(file) < HEADER_SIZE) {
            throw new ZooKeeperFileException(file, 0, "too short for a txn log header (" + Files.size(file)
                    + " bytes)");
        }
        int magic = jute.readInt();
        if (magic != MAGIC) {
            throw jute.error(0, "not a ZooKeeper txn log: magic 0x" + Integer.toHexString(magic) + ", expected ZKLG");
        }
        int version = jute.readInt();
        if (version != VERSION) {
            throw jute.error(4, "txn log format version " + version + " (this importer reads version " + VERSION + ")");
        }
        jute.readLong(); // dbid
    }

    /** The next txn record, or null at the end of the log (see {@link #tornAt()}). */
    Record next() throws IOException {
        if (tornAt >= 0 || endAt >= 0) {
            return null;
        }
        long at = jute.position();
        if (jute.atEnd()) {
            endAt = at;
            return null;
        }
        long stored;
        byte[] bytes;
        try {
            stored = jute.readLong();
            long lengthAt = jute.position();
            int length = jute.readInt();
            if (length == 0) {
                endAt = at;
                requireZerosAfter(at, "a record of length 0 (the end of the log)");
                return null;
            }
            if (length < 0 || length > JuteStream.MAX_LENGTH) {
                throw jute.error(lengthAt, "unreasonable record length " + length + ": the file is damaged");
            }
            bytes = new byte[length];
            jute.readFully(bytes, length);
            if (jute.readByte() != END_OF_RECORD) {
                torn(at, "its end-of-record marker is missing");
                requireZerosAfter(at, "a record without its end-of-record marker");
                return null;
            }
        } catch (EOFException e) {
            torn(at, "the file ends inside it");
            return null;
        }
        crc.reset();
        crc.update(bytes, 0, bytes.length);
        if (crc.getValue() != stored) {
            throw jute.error(at, "the record's Adler32 does not match (stored 0x" + Long.toHexString(stored)
                    + ", computed 0x" + Long.toHexString(crc.getValue()) + "): the file is damaged");
        }
        return new Record(file, at, bytes);
    }

    private void torn(long at, String reason) {
        tornAt = at;
        tornReason = reason;
    }

    /** What follows a record that ends the log must be the pre-allocated zeros, else the file is damaged. */
    private void requireZerosAfter(long recordAt, String what) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long at = jute.position();
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                if (buf[i] != 0) {
                    throw jute.error(recordAt, what + " is followed by data (a non-zero byte at offset "
                            + (at + i) + "): the file is damaged");
                }
            }
            at += n;
        }
    }

    /** Where the torn record begins, or -1 when the log ended cleanly. */
    long tornAt() {
        return tornAt;
    }

    String tornReason() {
        return tornReason;
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
