package io.corral.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The bytes of one Chronicle excerpt. All integers little-endian; the last four bytes are a CRC32C of
 * everything before them.
 *
 * <pre>
 * ENTRY  (kind 1): kind u8 | version u8 | zxid i64 | sessionId i64 | cxid i32 | time i64 | type i32
 *                  | bodyLength i32 | body | crc32c i32                       (42 + bodyLength bytes)
 * MARKER (kind 2): kind u8 | version u8 | reason u8 | keepZxid i64 | lastKeptZxid i64 | lastKeptIndex i64
 *                  | voidFromIndex i64 | crc32c i32                           (39 bytes)
 * </pre>
 *
 * A marker voids every excerpt whose Chronicle index lies in {@code [voidFromIndex, index of the marker)}.
 */
final class EntryCodec {

    static final byte KIND_ENTRY = 1;
    static final byte KIND_MARKER = 2;
    static final byte VERSION = 1;

    static final byte REASON_TRUNCATE = 1;
    static final byte REASON_TORN_TAIL = 2;

    /** Returned by {@link #check} for an excerpt that is not a well-formed record with a good checksum. */
    static final int CORRUPT = -1;

    static final int ENTRY_HEADER = 38;
    static final int ENTRY_OVERHEAD = ENTRY_HEADER + 4;
    static final int MARKER_SIZE = 39;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private EntryCodec() {
    }

    /** Encodes an entry into {@code buf} (which must hold {@code ENTRY_OVERHEAD + body.length}); returns its length. */
    static int encodeEntry(LogEntry e, byte[] buf) {
        byte[] body = e.body();
        buf[0] = KIND_ENTRY;
        buf[1] = VERSION;
        LONG.set(buf, 2, e.zxid());
        LONG.set(buf, 10, e.sessionId());
        INT.set(buf, 18, e.cxid());
        LONG.set(buf, 22, e.time());
        INT.set(buf, 30, e.type());
        INT.set(buf, 34, body.length);
        System.arraycopy(body, 0, buf, ENTRY_HEADER, body.length);
        int n = ENTRY_HEADER + body.length;
        INT.set(buf, n, crc(buf, n));
        return n + 4;
    }

    static int encodeMarker(byte reason, long keepZxid, long lastKeptZxid, long lastKeptIndex, long voidFromIndex,
                            byte[] buf) {
        buf[0] = KIND_MARKER;
        buf[1] = VERSION;
        buf[2] = reason;
        LONG.set(buf, 3, keepZxid);
        LONG.set(buf, 11, lastKeptZxid);
        LONG.set(buf, 19, lastKeptIndex);
        LONG.set(buf, 27, voidFromIndex);
        INT.set(buf, 35, crc(buf, 35));
        return MARKER_SIZE;
    }

    /** The kind of a well-formed excerpt of {@code len} bytes with a good checksum, else {@link #CORRUPT}. */
    static int check(byte[] buf, int len) {
        if (len < 6 || buf[1] != VERSION) {
            return CORRUPT;
        }
        int expected;
        if (buf[0] == KIND_ENTRY) {
            if (len < ENTRY_OVERHEAD) {
                return CORRUPT;
            }
            int bodyLength = (int) INT.get(buf, 34);
            if (bodyLength < 0 || bodyLength != len - ENTRY_OVERHEAD) {
                return CORRUPT;
            }
            expected = KIND_ENTRY;
        } else if (buf[0] == KIND_MARKER) {
            if (len != MARKER_SIZE) {
                return CORRUPT;
            }
            expected = KIND_MARKER;
        } else {
            return CORRUPT;
        }
        return (int) INT.get(buf, len - 4) == crc(buf, len - 4) ? expected : CORRUPT;
    }

    /** The checksum an excerpt of {@code len} bytes carries (its last four bytes; 0 when shorter). */
    static int storedCrc(byte[] buf, int len) {
        return len >= 4 ? (int) INT.get(buf, len - 4) : 0;
    }

    /** The zxid field of an entry; for a corrupt excerpt a best guess, or -1 when it is too short to hold one. */
    static long zxid(byte[] buf, int len) {
        return len >= 10 && buf[0] == KIND_ENTRY ? (long) LONG.get(buf, 2) : -1;
    }

    static LogEntry decodeEntry(byte[] buf, int len) {
        int bodyLength = len - ENTRY_OVERHEAD;
        byte[] body = new byte[bodyLength];
        System.arraycopy(buf, ENTRY_HEADER, body, 0, bodyLength);
        return new LogEntry((long) LONG.get(buf, 2), (long) LONG.get(buf, 10), (int) INT.get(buf, 18),
                (long) LONG.get(buf, 22), (int) INT.get(buf, 30), body);
    }

    static byte markerReason(byte[] buf) {
        return buf[2];
    }

    static long markerKeepZxid(byte[] buf) {
        return (long) LONG.get(buf, 3);
    }

    static long markerLastKeptZxid(byte[] buf) {
        return (long) LONG.get(buf, 11);
    }

    static long markerLastKeptIndex(byte[] buf) {
        return (long) LONG.get(buf, 19);
    }

    static long markerVoidFrom(byte[] buf) {
        return (long) LONG.get(buf, 27);
    }

    private static int crc(byte[] buf, int len) {
        CRC32C c = new CRC32C();
        c.update(buf, 0, len);
        return (int) c.getValue();
    }
}
