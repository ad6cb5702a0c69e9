package io.corral.protocol;

/** getACL. */
public record GetAclResponse(java.util.List<Acl> acl, Stat stat) implements Record {
    public static GetAclResponse read(JuteInput in) {
        return new GetAclResponse(in.readAclList(), Stat.read(in));
    }

    @Override
    public void write(JuteOutput out) {
        out.writeAclList(acl);
        stat.write(out);
    }
}
