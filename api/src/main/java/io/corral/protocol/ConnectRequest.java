package io.corral.protocol;

/**
 * The first frame of a connection. readOnly is null when the client left the optional byte out. {@code extensions}
 * (Corral's, after readOnly; 0 when absent, as from every ZooKeeper client): the Corral extensions the client can
 * use ({@link #CORRAL_STREAMS}); a Corral server answers with those it serves (ConnectResponse#extensions), and
 * ZooKeeper reads no further than readOnly, so it never sees them.
 */
public record ConnectRequest(int protocolVersion, long lastZxidSeen, int timeOut, long sessionId, byte[] passwd,
                             Boolean readOnly, int extensions) implements Record {
    /** The resumable watch streams (opcodes 5001/5002, docs/STREAMS_WIRE.md). */
    public static final int CORRAL_STREAMS = 1;

    public ConnectRequest(int protocolVersion, long lastZxidSeen, int timeOut, long sessionId, byte[] passwd,
                          Boolean readOnly) {
        this(protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly, 0);
    }


    public static ConnectRequest read(JuteInput in) {
        int protocolVersion = in.readInt();
        long lastZxidSeen = in.readLong();
        int timeOut = in.readInt();
        long sessionId = in.readLong();
        byte[] passwd = in.readBuffer();
        Boolean readOnly = in.hasRemaining() ? in.readBool() : null;
        int extensions = readOnly != null && in.hasRemaining() ? in.readInt() : 0;
        return new ConnectRequest(protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly, extensions);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(protocolVersion).writeLong(lastZxidSeen).writeInt(timeOut).writeLong(sessionId).writeBuffer(passwd);
        if (readOnly != null || extensions != 0) {
            out.writeBool(Boolean.TRUE.equals(readOnly));
        }
        if (extensions != 0) {
            out.writeInt(extensions);
        }
    }
}
