package io.corral.protocol;

/** getChildren (child names) and getEphemerals (full paths). */
public record StringListResponse(java.util.List<String> values) implements Record {
    public static StringListResponse read(JuteInput in) {
        return new StringListResponse(in.readStringList());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeStringList(values);
    }
}
