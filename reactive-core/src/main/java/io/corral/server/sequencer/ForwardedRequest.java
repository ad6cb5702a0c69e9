package io.corral.server.sequencer;

import io.corral.protocol.Id;
import io.corral.protocol.JuteInput;
import io.corral.protocol.JuteOutput;
import io.corral.protocol.MarshallingException;
import io.corral.protocol.OpCode;
import io.corral.protocol.Record;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;

/**
 * A client write a learner passes to the leader, which validates and sequences it as if its own client had sent it:
 * the session, the client's xid, the opcode, the identities the connection authenticated as, and the request body
 * in its wire encoding (or the decoding error the learner met, which a multi turns into an error txn).
 */
record ForwardedRequest(long sessionId, int cxid, int type, int error, List<Id> authIds, Record body) {

    /** The body of a forwarded session creation: what the learner negotiated with its client. */
    record NewSession(int timeout, byte[] password) implements Record {
        @Override
        public void write(JuteOutput out) {
            out.writeInt(timeout).writeBuffer(password);
        }
    }

    byte[] encode() {
        ByteBuf buf = Unpooled.buffer(128);
        JuteOutput out = new JuteOutput(buf);
        out.writeLong(sessionId).writeInt(cxid).writeInt(type).writeInt(error).writeInt(authIds.size());
        for (Id id : authIds) {
            out.writeString(id.scheme()).writeString(id.id());
        }
        out.writeBool(body != null);
        if (body != null) {
            body.write(out);
        }
        return ByteBufUtil.getBytes(buf);
    }

    /** Decodes what a learner sent; MarshallingException when it is malformed (the link is then closed). */
    static ForwardedRequest decode(byte[] bytes, int maxBuffer) {
        JuteInput in = new JuteInput(Unpooled.wrappedBuffer(bytes), maxBuffer);
        long sessionId = in.readLong();
        int cxid = in.readInt();
        int type = in.readInt();
        int error = in.readInt();
        int count = in.readInt();
        if (count < 0 || count > 1024) {
            throw new MarshallingException("bad identity count " + count);
        }
        List<Id> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(new Id(in.readString(), in.readString()));
        }
        Record body = null;
        if (in.readBool()) {
            if (type == OpCode.CREATE_SESSION) {
                body = new NewSession(in.readInt(), in.readBuffer());
            } else {
                try {
                    body = RequestDecoder.decode(type, in);
                } catch (RequestDecoder.UnsupportedOpcode e) {
                    throw new MarshallingException("opcode " + type + " cannot be forwarded");
                }
            }
        }
        return new ForwardedRequest(sessionId, cxid, type, error, ids, body);
    }
}
