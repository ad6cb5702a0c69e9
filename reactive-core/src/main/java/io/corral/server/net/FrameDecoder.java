package io.corral.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Splits the byte stream into frames (4-byte big-endian length, then the payload). The first four bytes of a
 * connection may instead spell a four-letter word, which is passed on as a {@link FourLetterWord}. A negative or
 * oversized length closes the connection with one log line: nothing after it can be trusted.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);
    static final Set<String> KNOWN_WORDS = Set.copyOf(io.corral.server.ops.FourLetterWordList.KNOWN);

    /** A four-letter word sent instead of a first frame. */
    record FourLetterWord(String word) {
    }

    private final int maxFrame;
    private boolean first = true;
    private boolean done;

    FrameDecoder(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (done) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 4) {
            int length = in.getInt(in.readerIndex());
            if (first) {
                String word = in.toString(in.readerIndex(), 4, StandardCharsets.US_ASCII);
                if (KNOWN_WORDS.contains(word)) {
                    in.skipBytes(in.readableBytes());
                    done = true;
                    out.add(new FourLetterWord(word));
                    return;
                }
            }
            if (length < 0 || length > maxFrame) {
                ClientConnection.WARNINGS.warn(log, "frame-length", "Closing connection from "
                        + ctx.channel().remoteAddress() + ": invalid frame length " + length
                        + " (limit jute.maxbuffer = " + maxFrame + ")");
                in.skipBytes(in.readableBytes());
                done = true;
                ctx.close();
                return;
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            in.skipBytes(4);
            first = false;
            out.add(in.readRetainedSlice(length));
        }
    }
}
