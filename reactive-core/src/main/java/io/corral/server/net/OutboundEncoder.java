package io.corral.server.net;

import io.corral.protocol.ErrorCode;
import io.corral.protocol.JuteOutput;
import io.corral.protocol.ReplyHeader;
import io.corral.server.sequencer.Outbound;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/** Encodes what the sequencer sends into frames. Runs on the connection's event loop. */
final class OutboundEncoder {
    private OutboundEncoder() {
    }

    /** The encoded frame, or null for a Close. */
    static ByteBuf encode(Outbound message, ByteBufAllocator alloc) {
        if (message instanceof Outbound.Reply reply) {
            return frame(alloc, out -> {
                new ReplyHeader(reply.xid(), reply.zxid(), reply.err()).write(out);
                if (reply.err() == ErrorCode.OK && reply.body() != null) {
                    reply.body().write(out);
                }
            });
        }
        if (message instanceof Outbound.Notification notification) {
            return frame(alloc, out -> {
                new ReplyHeader(-1, notification.zxid(), ErrorCode.OK).write(out);
                notification.event().write(out);
            });
        }
        if (message instanceof Outbound.Handshake handshake) {
            return frame(alloc, out -> handshake.response().write(out));
        }
        if (message instanceof Outbound.Text text) {
            byte[] bytes = text.text().getBytes(StandardCharsets.UTF_8);
            return alloc.ioBuffer(bytes.length).writeBytes(bytes);
        }
        return null;
    }

    private interface Body {
        void write(JuteOutput out);
    }

    private static ByteBuf frame(ByteBufAllocator alloc, Body body) {
        ByteBuf buf = alloc.ioBuffer(128);
        buf.writeInt(0);
        body.write(new JuteOutput(buf));
        buf.setInt(0, buf.readableBytes() - 4);
        return buf;
    }
}
