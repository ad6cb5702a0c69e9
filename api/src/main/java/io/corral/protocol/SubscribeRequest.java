package io.corral.protocol;

/**
 * Corral's subscribe (opcode 5001): stream every committed change to {@code path} (or, when {@code recursive}, to
 * the subtree under it) after {@code fromZxid}; -1 means "from now". The client picks the subscription id: stream
 * frames carry it. With {@code withSnapshot}, the stream opens with the subtree as it is at the starting zxid.
 */
public record SubscribeRequest(int subscription, String path, boolean recursive, long fromZxid, boolean withData,
                               boolean withSnapshot) implements Record {
    /** {@code fromZxid} for "after the last change this server applied". */
    public static final long NOW = -1;

    public static SubscribeRequest read(JuteInput in) {
        return new SubscribeRequest(in.readInt(), in.readString(), in.readBool(), in.readLong(), in.readBool(),
                in.readBool());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(subscription).writeString(path).writeBool(recursive).writeLong(fromZxid).writeBool(withData)
                .writeBool(withSnapshot);
    }
}
