package io.corral.protocol;

/**
 * Corral's subscribe (opcode 5001): stream every committed change to {@code path} (or, when {@code recursive}, to
 * the subtree under it) after {@code fromZxid}; -1 means "from now". The client picks the subscription id: stream
 * frames carry it. With {@code withSnapshot}, the stream opens with the subtree as it is at the starting zxid.
 * {@code wireVersion} (a trailing field, absent = {@value #FIRST}): {@value #WITH_STAT} asks for the Stat of each
 * change, in frames with xid {@link StreamFrame#XID_WITH_STAT}.
 */
public record SubscribeRequest(int subscription, String path, boolean recursive, long fromZxid, boolean withData,
                               boolean withSnapshot, int wireVersion) implements Record {
    /** {@code fromZxid} for "after the last change this server applied". */
    public static final long NOW = -1;
    /** The first wire version: changes without their Stat. */
    public static final int FIRST = 1;
    /** Changes with their Stat. */
    public static final int WITH_STAT = 2;

    public SubscribeRequest(int subscription, String path, boolean recursive, long fromZxid, boolean withData,
                            boolean withSnapshot) {
        this(subscription, path, recursive, fromZxid, withData, withSnapshot, FIRST);
    }

    public static SubscribeRequest read(JuteInput in) {
        return new SubscribeRequest(in.readInt(), in.readString(), in.readBool(), in.readLong(), in.readBool(),
                in.readBool(), in.hasRemaining() ? in.readInt() : FIRST);
    }

    public boolean withStat() {
        return wireVersion >= WITH_STAT;
    }

    /** The wire version is written only above the first, so that a first-version request stays byte for byte. */
    @Override
    public void write(JuteOutput out) {
        out.writeInt(subscription).writeString(path).writeBool(recursive).writeLong(fromZxid).writeBool(withData)
                .writeBool(withSnapshot);
        if (wireVersion != FIRST) {
            out.writeInt(wireVersion);
        }
    }
}
