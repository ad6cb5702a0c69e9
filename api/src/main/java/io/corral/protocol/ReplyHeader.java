package io.corral.protocol;

/** Precedes every server reply and notification after the handshake. */
public record ReplyHeader(int xid, long zxid, int err) implements Record {
    public static ReplyHeader read(JuteInput in) {
        return new ReplyHeader(in.readInt(), in.readLong(), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(xid).writeLong(zxid).writeInt(err);
    }
}
