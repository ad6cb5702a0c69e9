package io.corral.protocol;

import java.util.List;

/** One ACL entry: permission bits ({@link Perms}) granted to an {@link Id}. */
public record Acl(int perms, Id id) implements Record {
    public static final List<Acl> OPEN_ACL_UNSAFE = List.of(new Acl(Perms.ALL, Id.ANYONE));
    public static final List<Acl> CREATOR_ALL_ACL = List.of(new Acl(Perms.ALL, Id.AUTH));
    public static final List<Acl> READ_ACL_UNSAFE = List.of(new Acl(Perms.READ, Id.ANYONE));

    public static Acl read(JuteInput in) {
        return new Acl(in.readInt(), Id.read(in));
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(perms);
        id.write(out);
    }
}
