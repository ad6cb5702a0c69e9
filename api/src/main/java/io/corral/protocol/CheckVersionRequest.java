package io.corral.protocol;

/** check (only inside multi). */
public record CheckVersionRequest(String path, int version) implements Record {
    public static CheckVersionRequest read(JuteInput in) {
        return new CheckVersionRequest(in.readString(), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path).writeInt(version);
    }
}
