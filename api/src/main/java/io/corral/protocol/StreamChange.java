package io.corral.protocol;

/**
 * One change in a {@link StreamFrame}: an {@link EventType} on a path. {@code version} is the new version of what
 * changed, as far as the txn itself determines it: the data version for NodeCreated (0) and NodeDataChanged, the
 * ACL version for NodeAclChanged; -1 otherwise (NodeDeleted, NodeChildrenChanged). {@code ephemeralOwner} is set on
 * NodeCreated (0 otherwise); {@code data} is the new data of NodeCreated and NodeDataChanged when the subscription
 * asked for data, else null.
 *
 * <p>{@code stat} (wire version {@value SubscribeRequest#WITH_STAT} only, else null): the node's new Stat as far as
 * the txn determines it, -1 in every field it does not: all of it for NodeCreated (and the whole Stat of a snapshot's
 * nodes); mzxid, mtime, version and dataLength for NodeDataChanged; aversion for NodeAclChanged; pzxid for
 * NodeChildrenChanged; nothing for NodeDeleted. See {@link #UNKNOWN}. {@code childDelta} (with the Stat): how the
 * txn moved numChildren, +1 (a child created) or -1 (deleted) for NodeChildrenChanged, 0 otherwise; either way the
 * cversion grew by one.
 */
public record StreamChange(int type, String path, int version, long ephemeralOwner, byte[] data, Stat stat,
                           int childDelta) implements Record {
    /** A Stat field the change does not determine. */
    public static final int UNKNOWN = -1;

    public StreamChange(int type, String path, int version, long ephemeralOwner, byte[] data) {
        this(type, path, version, ephemeralOwner, data, null, 0);
    }

    public StreamChange(int type, String path, int version, long ephemeralOwner, byte[] data, Stat stat) {
        this(type, path, version, ephemeralOwner, data, stat, 0);
    }

    /** What a change is decoded into, straight from the frame (a StreamChange, or a client's own type). */
    @FunctionalInterface
    public interface Decoder<T> {
        /** {@code stat} null and {@code childDelta} 0 when the frame carries no Stat. */
        T decoded(int type, String path, int version, long ephemeralOwner, byte[] data, Stat stat, int childDelta);
    }

    public static StreamChange read(JuteInput in, boolean withStat) {
        return read(in, withStat, null, StreamChange::new);
    }

    /**
     * Reads one change into {@code decoder}, without a StreamChange in between. {@code expectedPath}: the path the
     * change probably names (the last one read, say), returned as is when it does, so it is not decoded again.
     */
    public static <T> T read(JuteInput in, boolean withStat, String expectedPath, Decoder<T> decoder) {
        int type = in.readInt();
        String path = in.readString(expectedPath);
        int version = in.readInt();
        long ephemeralOwner = in.readLong();
        byte[] data = in.readBuffer();
        if (!withStat) {
            return decoder.decoded(type, path, version, ephemeralOwner, data, null, 0);
        }
        return decoder.decoded(type, path, version, ephemeralOwner, data, Stat.read(in), in.readInt());
    }

    /** The change as a subscription gets it: without the data or the Stat it did not ask for. */
    public StreamChange trimmed(boolean withData, boolean withStat) {
        return (withData || data == null) && (withStat || stat == null) ? this
                : new StreamChange(type, path, version, ephemeralOwner, withData ? data : null,
                withStat ? stat : null, childDelta);
    }

    /** Encodes the Stat too when it has one: frames of a subscription carry it in every change or in none. */
    @Override
    public void write(JuteOutput out) {
        out.writeInt(type).writeString(path).writeInt(version).writeLong(ephemeralOwner).writeBuffer(data);
        if (stat != null) {
            stat.write(out);
            out.writeInt(childDelta);
        }
    }
}
