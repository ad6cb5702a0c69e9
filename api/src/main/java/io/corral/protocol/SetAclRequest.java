package io.corral.protocol;

/** setACL. */
public record SetAclRequest(String path, java.util.List<Acl> acl, int version) implements Record {
    public static SetAclRequest read(JuteInput in) {
        return new SetAclRequest(in.readString(), in.readAclList(), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path).writeAclList(acl).writeInt(version);
    }
}
