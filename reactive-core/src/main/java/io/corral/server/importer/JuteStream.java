package io.corral.server.importer;

import io.corral.protocol.Acl;
import io.corral.protocol.Id;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Adler32;

/**
 * Reads ZooKeeper's jute binary encoding (big-endian ints and longs, length-prefixed buffers and strings, -1 for
 * null) from a stream, counting the bytes it consumes so that every error names the offset where it happened, and
 * keeping an Adler32 of them (the checksum ZooKeeper seals its snapshots with). The stream must support mark/reset
 * ({@link #atEnd} peeks a byte without consuming it).
 */
final class JuteStream {
    /** Far above jute.maxbuffer (1 MiB by default); a longer length means a damaged file, not a big node. */
    static final int MAX_LENGTH = 256 * 1024 * 1024;

    private final InputStream in;
    private final Path file;
    private long position;
    private final byte[] scratch = new byte[8];
    private final Adler32 checksum = new Adler32();

    JuteStream(InputStream in, Path file, long startPosition) {
        this.in = in;
        this.file = file;
        this.position = startPosition;
    }

    long position() {
        return position;
    }

    /** The Adler32 of every byte consumed so far. */
    long checksum() {
        return checksum.getValue();
    }

    Path file() {
        return file;
    }

    ZooKeeperFileException error(long at, String problem) {
        return new ZooKeeperFileException(file, at, problem);
    }

    /** Reads exactly {@code n} bytes; EOFException (with the offset) when the stream ends first. */
    void readFully(byte[] into, int n) throws IOException {
        int done = 0;
        while (done < n) {
            int r = in.read(into, done, n - done);
            if (r < 0) {
                throw new EOFException(file + " ends at offset " + (position + done) + " in the middle of a record");
            }
            done += r;
        }
        checksum.update(into, 0, n);
        position += n;
    }

    /** True when the stream has no byte left (consumes nothing otherwise: the caller must then read on). */
    boolean atEnd() throws IOException {
        in.mark(1);
        int b = in.read();
        if (b < 0) {
            return true;
        }
        in.reset();
        return false;
    }

    byte readByte() throws IOException {
        readFully(scratch, 1);
        return scratch[0];
    }

    boolean readBool() throws IOException {
        return readByte() != 0;
    }

    int readInt() throws IOException {
        readFully(scratch, 4);
        return (scratch[0] & 0xff) << 24 | (scratch[1] & 0xff) << 16 | (scratch[2] & 0xff) << 8 | scratch[3] & 0xff;
    }

    long readLong() throws IOException {
        long high = readInt() & 0xffffffffL;
        return high << 32 | readInt() & 0xffffffffL;
    }

    /** A length-prefixed buffer; null for length -1. */
    byte[] readBuffer() throws IOException {
        long at = position;
        int length = readInt();
        if (length == -1) {
            return null;
        }
        if (length < -1 || length > MAX_LENGTH) {
            throw error(at, "unreasonable length " + length);
        }
        byte[] bytes = new byte[length];
        readFully(bytes, length);
        return bytes;
    }

    String readString() throws IOException {
        byte[] bytes = readBuffer();
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** A vector of ACLs: count, then perms, scheme and id each; null for count -1. */
    List<Acl> readAclList() throws IOException {
        long at = position;
        int count = readInt();
        if (count == -1) {
            return null;
        }
        if (count < 0 || count > MAX_LENGTH / 12) {
            throw error(at, "unreasonable ACL count " + count);
        }
        List<Acl> acl = new ArrayList<>(Math.min(count, 64));
        for (int i = 0; i < count; i++) {
            int perms = readInt();
            acl.add(new Acl(perms, new Id(readString(), readString())));
        }
        return List.copyOf(acl);
    }
}
