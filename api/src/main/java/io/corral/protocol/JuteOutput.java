package io.corral.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.util.List;

/** Writes ZooKeeper's "jute" binary archive into a buffer. */
public final class JuteOutput {
    private final ByteBuf buf;

    public JuteOutput(ByteBuf buf) {
        this.buf = buf;
    }

    public ByteBuf buffer() {
        return buf;
    }

    public JuteOutput writeInt(int v) {
        buf.writeInt(v);
        return this;
    }

    public JuteOutput writeLong(long v) {
        buf.writeLong(v);
        return this;
    }

    public JuteOutput writeBool(boolean v) {
        buf.writeByte(v ? 1 : 0);
        return this;
    }

    public JuteOutput writeBuffer(byte[] bytes) {
        if (bytes == null) {
            buf.writeInt(-1);
        } else {
            buf.writeInt(bytes.length);
            buf.writeBytes(bytes);
        }
        return this;
    }

    public JuteOutput writeString(String s) {
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
            buf.writeInt(-1);
            return this;
        }
        buf.writeInt(list.size());
        if (list instanceof PreEncodedStrings encoded) {
            buf.writeBytes(encoded.juteBytes(), 0, encoded.juteLength());
            return this;
        }
        for (String s : list) {
            writeString(s);
        }
        return this;
    }

    public JuteOutput writeAclList(List<Acl> list) {
        if (list == null) {
            buf.writeInt(-1);
            return this;
        }
        buf.writeInt(list.size());
        for (Acl acl : list) {
            acl.write(this);
        }
        return this;
    }
}
