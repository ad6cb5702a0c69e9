package io.corral.protocol;

/** getACL, sync, getEphemerals, getAllChildrenNumber, deleteContainer: a path alone. */
public record PathRequest(String path) implements Record {
    public static PathRequest read(JuteInput in) {
        return new PathRequest(in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
    }
}
