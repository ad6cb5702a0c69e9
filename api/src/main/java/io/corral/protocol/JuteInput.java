package io.corral.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads ZooKeeper's "jute" binary archive (big-endian primitives, length-prefixed buffers and vectors)
 * from a frame. Every length is checked against what is left in the frame and against jute.maxbuffer,
 * so a record whose inner lengths lie fails with {@link MarshallingException} instead of allocating.
 */
public final class JuteInput {
    private final ByteBuf buf;
    private final int maxBuffer;

    public JuteInput(ByteBuf buf, int maxBuffer) {
        this.buf = buf;
        this.maxBuffer = maxBuffer;
    }

    public int readInt() {
        need(4);
        return buf.readInt();
    }

    public long readLong() {
        need(8);
        return buf.readLong();
    }

    public boolean readBool() {
        need(1);
        return buf.readByte() != 0;
    }

    public boolean hasRemaining() {
        return buf.isReadable();
    }

    /** Returns null for length -1. */
    public byte[] readBuffer() {
        int len = readLength();
        if (len < 0) {
            return null;
        }
        byte[] bytes = new byte[len];
        buf.readBytes(bytes);
        return bytes;
    }

    /** Returns null for length -1. */
    public String readString() {
        int len = readLength();
        if (len < 0) {
            return null;
        }
        String s = buf.toString(buf.readerIndex(), len, StandardCharsets.UTF_8);
        buf.skipBytes(len);
        return s;
    }

    /**
     * {@link #readString()}, but when the string read has the same characters as {@code expected} (ASCII only),
     * returns {@code expected} itself instead of decoding a copy: for a stream that names the same path again and
     * again. Null for length -1.
     */
    public String readString(String expected) {
        if (expected == null) {
            return readString();
        }
        int len = readLength();
        if (len < 0) {
            return null;
        }
        if (len == expected.length()) {
            int at = buf.readerIndex();
            int i = 0;
            while (i < len && expected.charAt(i) < 0x80 && buf.getByte(at + i) == expected.charAt(i)) {
                i++;
            }
            if (i == len) {
                buf.skipBytes(len);
                return expected;
            }
        }
        String s = buf.toString(buf.readerIndex(), len, StandardCharsets.UTF_8);
        buf.skipBytes(len);
        return s;
    }

    /** A vector of strings; null for count -1, empty for any other negative count (as the reference reader). */
    public List<String> readStringList() {
        int count = readInt();
        if (count == -1) {
            return null;
        }
        if (count < 0) {
            return Collections.emptyList();
        }
        // each element needs at least its 4-byte length, so a lying count fails before allocating
        need((long) count * 4);
        List<String> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(readString());
        }
        return list;
    }

    /** A vector of ACLs; null for count -1. */
    public List<Acl> readAclList() {
        int count = readInt();
        if (count == -1) {
            return null;
        }
        if (count < 0) {
            return Collections.emptyList();
        }
        need((long) count * 12);
        List<Acl> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(Acl.read(this));
        }
        return list;
    }

    private int readLength() {
        int len = readInt();
        if (len == -1) {
            return -1;
        }
        if (len < -1 || len > maxBuffer) {
            throw new MarshallingException("invalid length " + len);
        }
        need(len);
        return len;
    }

    private void need(long bytes) {
        if (buf.readableBytes() < bytes) {
            throw new MarshallingException("record truncated: need " + bytes + " bytes, have " + buf.readableBytes());
        }
    }
}
