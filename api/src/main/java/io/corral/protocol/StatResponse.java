package io.corral.protocol;

/** exists, setData, setACL: a Stat. */
public record StatResponse(Stat stat) implements Record {
    public static StatResponse read(JuteInput in) {
        return new StatResponse(Stat.read(in));
    }

    @Override
    public void write(JuteOutput out) {
        stat.write(out);
    }
}
