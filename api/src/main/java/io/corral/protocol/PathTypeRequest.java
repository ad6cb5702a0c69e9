package io.corral.protocol;

/** checkWatches and removeWatches (type = WatcherType), addWatch (type = AddWatchMode). */
public record PathTypeRequest(String path, int type) implements Record {
    public static PathTypeRequest read(JuteInput in) {
        return new PathTypeRequest(in.readString(), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path).writeInt(type);
    }
}
