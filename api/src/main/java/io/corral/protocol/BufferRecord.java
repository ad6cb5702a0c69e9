package io.corral.protocol;

/** A single buffer: the SASL token request and response. */
public record BufferRecord(byte[] value) implements Record {
    public static BufferRecord read(JuteInput in) {
        return new BufferRecord(in.readBuffer());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeBuffer(value);
    }
}
