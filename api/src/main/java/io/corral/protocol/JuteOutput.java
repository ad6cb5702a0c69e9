package io.corral.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.util.List;

/**
 * Writes ZooKeeper's "jute" binary archive into a buffer, or, made by {@link #sizeOf}, only counts the bytes it would
 * write (so a reply's size is known before anything is allocated for it).
 */
public final class JuteOutput {
    /** Null when only counting. */
    private final ByteBuf buf;
    private long counted;

    public JuteOutput(ByteBuf buf) {
        this.buf = buf;
    }

    /** The number of bytes the record's encoding takes; nothing is written or copied. */
    public static long sizeOf(Record record) {
        JuteOutput out = new JuteOutput(null);
        record.write(out);
        return out.counted;
    }

    public ByteBuf buffer() {
        return buf;
    }

    public JuteOutput writeInt(int v) {
        if (buf == null) {
            counted += 4;
            return this;
        }
        buf.writeInt(v);
        return this;
    }

    public JuteOutput writeLong(long v) {
        if (buf == null) {
            counted += 8;
            return this;
        }
        buf.writeLong(v);
        return this;
    }

    public JuteOutput writeBool(boolean v) {
        if (buf == null) {
            counted += 1;
            return this;
        }
        buf.writeByte(v ? 1 : 0);
        return this;
    }

    public JuteOutput writeBuffer(byte[] bytes) {
        if (buf == null) {
            counted += 4 + (bytes == null ? 0 : bytes.length);
            return this;
        }
        if (bytes == null) {
            buf.writeInt(-1);
        } else {
            buf.writeInt(bytes.length);
            buf.writeBytes(bytes);
        }
        return this;
    }

    public JuteOutput writeString(String s) {
        if (buf == null) {
            counted += 4 + (s == null ? 0 : ByteBufUtil.utf8Bytes(s));
            return this;
        }
        if (s == null) {
            buf.writeInt(-1);
            return this;
        }
        int lengthAt = buf.writerIndex();
        buf.writeInt(0);
        int written = ByteBufUtil.writeUtf8(buf, s);
        buf.setInt(lengthAt, written);
        return this;
    }

    public JuteOutput writeStringList(List<String> list) {
        if (list == null) {
            return writeInt(-1);
        }
        writeInt(list.size());
        if (list instanceof PreEncodedStrings encoded) {
            if (buf == null) {
                counted += encoded.juteLength();
            } else {
                buf.writeBytes(encoded.juteBytes(), 0, encoded.juteLength());
            }
            return this;
        }
        for (String s : list) {
            writeString(s);
        }
        return this;
    }

    public JuteOutput writeAclList(List<Acl> list) {
        if (list == null) {
            return writeInt(-1);
        }
        writeInt(list.size());
        for (Acl acl : list) {
            acl.write(this);
        }
        return this;
    }
}
