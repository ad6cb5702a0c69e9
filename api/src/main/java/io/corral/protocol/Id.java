package io.corral.protocol;

/** An identity in an ACL: scheme (world, auth, digest, ip, super) and id. */
public record Id(String scheme, String id) implements Record {
    public static final Id ANYONE = new Id("world", "anyone");
    public static final Id AUTH = new Id("auth", "");

    public static Id read(JuteInput in) {
        return new Id(in.readString(), in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(scheme).writeString(id);
    }
}
