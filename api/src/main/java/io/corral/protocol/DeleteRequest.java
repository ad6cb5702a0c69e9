package io.corral.protocol;

/** delete. */
public record DeleteRequest(String path, int version) implements Record {
    public static DeleteRequest read(JuteInput in) {
        return new DeleteRequest(in.readString(), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path).writeInt(version);
    }
}
