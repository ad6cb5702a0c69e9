package io.corral.protocol;

/** The first server frame. readOnly is left out (null) when the request left it out. */
public record ConnectResponse(int protocolVersion, int timeOut, long sessionId, byte[] passwd, Boolean readOnly)
        implements Record {

    public static ConnectResponse read(JuteInput in) {
        int protocolVersion = in.readInt();
        int timeOut = in.readInt();
        long sessionId = in.readLong();
        byte[] passwd = in.readBuffer();
        Boolean readOnly = in.hasRemaining() ? in.readBool() : null;
        return new ConnectResponse(protocolVersion, timeOut, sessionId, passwd, readOnly);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(protocolVersion).writeInt(timeOut).writeLong(sessionId).writeBuffer(passwd);
        if (readOnly != null) {
            out.writeBool(readOnly);
        }
    }
}
