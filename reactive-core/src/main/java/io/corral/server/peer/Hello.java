package io.corral.server.peer;

import io.netty.buffer.ByteBuf;

/**
 * The first frame each side sends on a peer link: magic, protocol version, sender id, intended receiver id. A link
 * whose hello is wrong in any way is closed before a single protocol message is read from it.
 */
record Hello(int version, long sender, long receiver) {
    static final int MAGIC = 0x43524C50; // "CRLP"
    static final int VERSION = 1;
    static final int SIZE = 4 + 4 + 8 + 8;

    void writeTo(ByteBuf out) {
        out.writeInt(SIZE);
        out.writeInt(MAGIC);
        out.writeInt(version);
        out.writeLong(sender);
        out.writeLong(receiver);
    }

    /** Parses a hello frame (without its length prefix); null if it is not one. */
    static Hello parse(ByteBuf frame) {
        if (frame.readableBytes() != SIZE || frame.readInt() != MAGIC) {
            return null;
        }
        return new Hello(frame.readInt(), frame.readLong(), frame.readLong());
    }
}
