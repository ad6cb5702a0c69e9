package io.corral.protocol;

/** getAllChildrenNumber, and ErrorResponse (addWatch reply, multi error results). */
public record IntResponse(int value) implements Record {
    public static IntResponse read(JuteInput in) {
        return new IntResponse(in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(value);
    }
}
