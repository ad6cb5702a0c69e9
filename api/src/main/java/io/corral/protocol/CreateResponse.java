package io.corral.protocol;

/** create: the actual path. Also SyncResponse, which echoes the path. */
public record CreateResponse(String path) implements Record {
    public static CreateResponse read(JuteInput in) {
        return new CreateResponse(in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
    }
}
