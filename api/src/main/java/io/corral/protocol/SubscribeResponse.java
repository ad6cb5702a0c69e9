package io.corral.protocol;

/** The answer to a subscribe: the stream holds every change after {@code startZxid}. */
public record SubscribeResponse(long startZxid) implements Record {
    public static SubscribeResponse read(JuteInput in) {
        return new SubscribeResponse(in.readLong());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeLong(startZxid);
    }
}
