package io.corral.protocol;

/** setData. */
public record SetDataRequest(String path, byte[] data, int version) implements Record {
    public static SetDataRequest read(JuteInput in) {
        return new SetDataRequest(in.readString(), in.readBuffer(), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path).writeBuffer(data).writeInt(version);
    }
}
