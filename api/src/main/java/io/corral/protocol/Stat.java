package io.corral.protocol;

/** The metadata of a znode as clients see it (68 bytes on the wire). */
public record Stat(long czxid, long mzxid, long ctime, long mtime, int version, int cversion, int aversion,
                   long ephemeralOwner, int dataLength, int numChildren, long pzxid) implements Record {

    public static Stat read(JuteInput in) {
        return new Stat(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readInt(), in.readInt(),
                in.readInt(), in.readLong(), in.readInt(), in.readInt(), in.readLong());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeLong(czxid).writeLong(mzxid).writeLong(ctime).writeLong(mtime)
                .writeInt(version).writeInt(cversion).writeInt(aversion)
                .writeLong(ephemeralOwner).writeInt(dataLength).writeInt(numChildren).writeLong(pzxid);
    }
}
