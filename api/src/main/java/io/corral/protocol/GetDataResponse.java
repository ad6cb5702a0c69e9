package io.corral.protocol;

/** getData. */
public record GetDataResponse(byte[] data, Stat stat) implements Record {
    public static GetDataResponse read(JuteInput in) {
        return new GetDataResponse(in.readBuffer(), Stat.read(in));
    }

    @Override
    public void write(JuteOutput out) {
        out.writeBuffer(data);
        stat.write(out);
    }
}
