package io.corral.protocol;

/** reconfig. */
public record ReconfigRequest(String joiningServers, String leavingServers, String newMembers, long curConfigId) implements Record {
    public static ReconfigRequest read(JuteInput in) {
        return new ReconfigRequest(in.readString(), in.readString(), in.readString(), in.readLong());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(joiningServers).writeString(leavingServers).writeString(newMembers).writeLong(curConfigId);
    }
}
