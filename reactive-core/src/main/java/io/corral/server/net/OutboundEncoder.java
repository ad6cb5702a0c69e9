package io.corral.server.net;

import io.corral.protocol.ErrorCode;
import io.corral.protocol.GetDataResponse;
import io.corral.protocol.JuteOutput;
import io.corral.protocol.Record;
import io.corral.protocol.ReplyHeader;
import io.corral.protocol.StreamFrame;
import io.corral.server.sequencer.Outbound;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Encodes what the sequencer sends into frames, on the connection's event loop. The size of a frame is known before
 * it is encoded ({@link #size}), so the connection can account for its backlog and allocate exactly; the data of a
 * large getData reply is not copied at all (the tree's arrays are never changed in place, only replaced).
 */
final class OutboundEncoder {
    /** A getData reply whose data is at least this long is sent from the node's own array. */
    static final int ZERO_COPY_MIN = 8 * 1024;
    /** Reply header: xid, zxid, err. */
    private static final int REPLY_HEADER = 16;

    private OutboundEncoder() {
    }

    /** Bytes the message takes on the wire, length prefix included; 0 for a Close. */
    static long size(Outbound message) {
        if (message instanceof Outbound.Reply reply) {
            return 4 + REPLY_HEADER + (hasBody(reply) ? JuteOutput.sizeOf(reply.body()) : 0);
        } else if (message instanceof Outbound.Notification notification) {
            return 4 + REPLY_HEADER + JuteOutput.sizeOf(notification.event());
        } else if (message instanceof Outbound.Stream stream) {
            return 4 + REPLY_HEADER + JuteOutput.sizeOf(stream.frame());
        } else if (message instanceof Outbound.Handshake handshake) {
            return 4 + JuteOutput.sizeOf(handshake.response());
        } else if (message instanceof Outbound.Text text) {
            return ByteBufUtil.utf8Bytes(text.text());
        }
        return 0;
    }

    /** Whether the message is best sent on its own, without copying its data: a large getData reply. */
    static boolean isLarge(Outbound message) {
        return message instanceof Outbound.Reply reply && hasBody(reply)
                && reply.body() instanceof GetDataResponse data && data.data() != null
                && data.data().length >= ZERO_COPY_MIN;
    }

    /**
     * A large getData reply as one buffer over three parts: the length, header and data length; the node's data
     * itself; the stat. Only the first and last are allocated.
     */
    static ByteBuf encodeLarge(Outbound.Reply reply, ByteBufAllocator alloc) {
        GetDataResponse response = (GetDataResponse) reply.body();
        byte[] data = response.data();
        int frame = (int) size(reply) - 4;
        ByteBuf head = alloc.ioBuffer(4 + REPLY_HEADER + 4);
        head.writeInt(frame);
        new ReplyHeader(reply.xid(), reply.zxid(), reply.err()).write(new JuteOutput(head));
        head.writeInt(data.length);
        ByteBuf stat = alloc.ioBuffer(frame - REPLY_HEADER - 4 - data.length);
        response.stat().write(new JuteOutput(stat));
        CompositeByteBuf whole = alloc.compositeBuffer(3);
        whole.addComponents(true, head, Unpooled.wrappedBuffer(data), stat);
        return whole;
    }

    /** Appends the frame (or, for four-letter words, the text) of a message; a Close adds nothing. */
    static void encode(Outbound message, ByteBuf buf) {
        if (message instanceof Outbound.Text text) {
            ByteBufUtil.writeUtf8(buf, text.text());
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
            if (hasBody(reply)) {
                reply.body().write(out);
            }
        } else if (message instanceof Outbound.Notification notification) {
            new ReplyHeader(-1, notification.zxid(), ErrorCode.OK).write(out);
            notification.event().write(out);
        } else if (message instanceof Outbound.Stream stream) {
            StreamFrame frame = stream.frame();
            new ReplyHeader(frame.withStat() ? StreamFrame.XID_WITH_STAT : StreamFrame.XID, frame.zxid(), frame.err())
                    .write(out);
            frame.write(out);
        } else if (message instanceof Outbound.Handshake handshake) {
            handshake.response().write(out);
        }
        buf.setInt(lengthAt, buf.writerIndex() - lengthAt - 4);
    }

    /**
     * A failed reply is only its header, except a failed SASL step: it carries an empty SetSASLResponse, as in
     * ZooKeeper, whose client reads that token before it looks at the error (ZK_WIRE.md 4.4).
     */
    private static boolean hasBody(Outbound.Reply reply) {
        Record body = reply.body();
        return body != null && (reply.err() == ErrorCode.OK || body instanceof io.corral.protocol.BufferRecord);
    }
}
