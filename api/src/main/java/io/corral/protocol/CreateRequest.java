package io.corral.protocol;

import java.util.List;

/** create, create2, createContainer (CreateRequest) and createTTL (CreateTTLRequest: one more long). ttl is -1 when absent. */
public record CreateRequest(String path, byte[] data, List<Acl> acl, int flags, long ttl) implements Record {

    public static CreateRequest read(JuteInput in, boolean withTtl) {
        String path = in.readString();
        byte[] data = in.readBuffer();
        List<Acl> acl = in.readAclList();
        int flags = in.readInt();
        long ttl = withTtl ? in.readLong() : -1;
        return new CreateRequest(path, data, acl, flags, ttl);
    }

    public boolean hasTtl() {
        return ttl != -1;
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path).writeBuffer(data).writeAclList(acl).writeInt(flags);
        if (ttl != -1) {
            out.writeLong(ttl);
        }
    }
}
