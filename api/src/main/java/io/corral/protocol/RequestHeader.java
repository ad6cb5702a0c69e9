package io.corral.protocol;

/** Precedes every client request after the handshake. */
public record RequestHeader(int xid, int type) implements Record {
    public static RequestHeader read(JuteInput in) {
        return new RequestHeader(in.readInt(), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(xid).writeInt(type);
    }
}
