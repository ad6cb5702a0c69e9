package io.corral.protocol;

/** getChildren2. */
public record GetChildren2Response(java.util.List<String> children, Stat stat) implements Record {
    public static GetChildren2Response read(JuteInput in) {
        return new GetChildren2Response(in.readStringList(), Stat.read(in));
    }

    @Override
    public void write(JuteOutput out) {
        out.writeStringList(children);
        stat.write(out);
    }
}
