package io.corral.protocol;

/** auth (xid -4). */
public record AuthPacket(int type, String scheme, byte[] auth) implements Record {
    public static AuthPacket read(JuteInput in) {
        return new AuthPacket(in.readInt(), in.readString(), in.readBuffer());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(type).writeString(scheme).writeBuffer(auth);
    }
}
