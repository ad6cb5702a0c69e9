package io.corral.protocol;

/**
 * One change in a {@link StreamFrame}: an {@link EventType} on a path. {@code version} is the new version of what
 * changed, as far as the txn itself determines it: the data version for NodeCreated (0) and NodeDataChanged, the
 * ACL version for NodeAclChanged, the parent's cversion for the NodeChildrenChanged of a create; -1 otherwise
 * (NodeDeleted, the NodeChildrenChanged of a delete). {@code ephemeralOwner} is set on NodeCreated (0 otherwise);
 * {@code data} is the new data of NodeCreated and NodeDataChanged when the subscription asked for data, else null.
 */
public record StreamChange(int type, String path, int version, long ephemeralOwner, byte[] data) implements Record {
    public static StreamChange read(JuteInput in) {
        return new StreamChange(in.readInt(), in.readString(), in.readInt(), in.readLong(), in.readBuffer());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(type).writeString(path).writeInt(version).writeLong(ephemeralOwner).writeBuffer(data);
    }
}
