package io.corral.protocol;

/** exists, getData, getChildren, getChildren2: a path and whether to leave a watch. */
public record PathWatchRequest(String path, boolean watch) implements Record {
    public static PathWatchRequest read(JuteInput in) {
        return new PathWatchRequest(in.readString(), in.readBool());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path).writeBool(watch);
    }
}
