package io.corral.protocol;

/** Precedes each operation of a multi request and each result of a multi response. */
public record MultiHeader(int type, boolean done, int err) implements Record {
    public static MultiHeader read(JuteInput in) {
        return new MultiHeader(in.readInt(), in.readBool(), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(type).writeBool(done).writeInt(err);
    }
}
