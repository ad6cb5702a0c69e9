package io.corral.protocol;

/**
 * The first server frame. readOnly is left out (null) when the request left it out. {@code extensions}: the Corral
 * extensions this server serves of those the request named (ConnectRequest#extensions); sent only then, after
 * readOnly, so a ZooKeeper client never sees it.
 */
public record ConnectResponse(int protocolVersion, int timeOut, long sessionId, byte[] passwd, Boolean readOnly,
                              int extensions) implements Record {
    public ConnectResponse(int protocolVersion, int timeOut, long sessionId, byte[] passwd, Boolean readOnly) {
        this(protocolVersion, timeOut, sessionId, passwd, readOnly, 0);
    }


    public static ConnectResponse read(JuteInput in) {
        int protocolVersion = in.readInt();
        int timeOut = in.readInt();
        long sessionId = in.readLong();
        byte[] passwd = in.readBuffer();
        Boolean readOnly = in.hasRemaining() ? in.readBool() : null;
        int extensions = readOnly != null && in.hasRemaining() ? in.readInt() : 0;
        return new ConnectResponse(protocolVersion, timeOut, sessionId, passwd, readOnly, extensions);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(protocolVersion).writeInt(timeOut).writeLong(sessionId).writeBuffer(passwd);
        if (readOnly != null || extensions != 0) {
            out.writeBool(Boolean.TRUE.equals(readOnly));
        }
        if (extensions != 0) {
            out.writeInt(extensions);
        }
    }
}
