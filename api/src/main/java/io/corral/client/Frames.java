package io.corral.client;

import io.corral.protocol.ConnectRequest;
import io.corral.protocol.JuteOutput;
import io.corral.protocol.Record;
import io.corral.protocol.RequestHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Encodes client frames: a 4-byte length, then the ConnectRequest or a RequestHeader and its record. */
final class Frames {
    private Frames() {
    }

    static ByteBuf connect(ByteBufAllocator alloc, ConnectRequest request) {
        ByteBuf buf = alloc.buffer(64);
        buf.writeInt(0);
        request.write(new JuteOutput(buf));
        return withLength(buf);
    }

    static ByteBuf request(ByteBufAllocator alloc, int xid, int type, Record body) {
        ByteBuf buf = alloc.buffer(64);
        buf.writeInt(0);
        JuteOutput out = new JuteOutput(buf);
        new RequestHeader(xid, type).write(out);
        if (body != null) {
            body.write(out);
        }
        return withLength(buf);
    }

    private static ByteBuf withLength(ByteBuf buf) {
        buf.setInt(0, buf.readableBytes() - 4);
        return buf;
    }
}
