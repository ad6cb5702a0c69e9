package io.corral.protocol;

/** The body of a notification (xid -1). */
public record WatcherEvent(int type, int state, String path) implements Record {
    public static WatcherEvent read(JuteInput in) {
        return new WatcherEvent(in.readInt(), in.readInt(), in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(type).writeInt(state).writeString(path);
    }
}
