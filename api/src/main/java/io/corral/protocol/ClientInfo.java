package io.corral.protocol;

/** One authenticated identity of a connection, as whoAmI reports it. */
public record ClientInfo(String authScheme, String user) implements Record {
    public static ClientInfo read(JuteInput in) {
        return new ClientInfo(in.readString(), in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(authScheme).writeString(user);
    }
}
