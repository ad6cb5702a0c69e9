package io.corral.server.net;

import io.corral.protocol.ErrorCode;
import io.corral.protocol.JuteOutput;
import io.corral.protocol.ReplyHeader;
import io.corral.server.sequencer.Outbound;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Encodes what the sequencer sends into frames, appended to one buffer per drain (one allocation and one write for
 * a whole batch of replies). Runs on the connection's event loop.
 */
final class OutboundEncoder {
    private OutboundEncoder() {
    }

    /** Appends the frame (or, for four-letter words, the text) of a message; a Close adds nothing. */
    static void encode(Outbound message, ByteBuf buf) {
        if (message instanceof Outbound.Text text) {
            buf.writeBytes(text.text().getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (message instanceof Outbound.Close) {
            return;
        }
        int lengthAt = buf.writerIndex();
        buf.writeInt(0);
        JuteOutput out = new JuteOutput(buf);
        if (message instanceof Outbound.Reply reply) {
            new ReplyHeader(reply.xid(), reply.zxid(), reply.err()).write(out);
            if (reply.err() == ErrorCode.OK && reply.body() != null) {
                reply.body().write(out);
            }
        } else if (message instanceof Outbound.Notification notification) {
            new ReplyHeader(-1, notification.zxid(), ErrorCode.OK).write(out);
            notification.event().write(out);
        } else if (message instanceof Outbound.Handshake handshake) {
            handshake.response().write(out);
        }
        buf.setInt(lengthAt, buf.writerIndex() - lengthAt - 4);
    }
}
