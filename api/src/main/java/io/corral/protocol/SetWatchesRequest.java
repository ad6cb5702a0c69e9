package io.corral.protocol;

import java.util.List;

/**
 * setWatches (101) and setWatches2 (105). For setWatches the persistent lists are empty and not written.
 */
public record SetWatchesRequest(long relativeZxid, List<String> dataWatches, List<String> existWatches,
                                List<String> childWatches, List<String> persistentWatches,
                                List<String> persistentRecursiveWatches, boolean version2) implements Record {

    public static SetWatchesRequest read(JuteInput in, boolean version2) {
        long relativeZxid = in.readLong();
        List<String> data = orEmpty(in.readStringList());
        List<String> exist = orEmpty(in.readStringList());
        List<String> child = orEmpty(in.readStringList());
        List<String> persistent = version2 ? orEmpty(in.readStringList()) : List.of();
        List<String> recursive = version2 ? orEmpty(in.readStringList()) : List.of();
        return new SetWatchesRequest(relativeZxid, data, exist, child, persistent, recursive, version2);
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    @Override
    public void write(JuteOutput out) {
        out.writeLong(relativeZxid).writeStringList(dataWatches).writeStringList(existWatches)
                .writeStringList(childWatches);
        if (version2) {
            out.writeStringList(persistentWatches).writeStringList(persistentRecursiveWatches);
        }
    }
}
