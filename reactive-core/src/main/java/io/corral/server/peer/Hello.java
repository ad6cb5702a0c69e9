package io.corral.server.peer;

import io.netty.buffer.ByteBuf;

/**
 * The first frame each side sends on a peer link: magic, protocol version, sender id, intended receiver id, and from
 * version 2 flags. A link whose hello is wrong in any way is closed before a single protocol message is read from it.
 * A server without quorum SASL sends version 1 (no flags), as servers did before quorum SASL.
 *
 * @param flags {@link #SASL}: from the server that dials, it will authenticate with SASL; from the one that
 *              accepts, it takes SASL
 */
record Hello(int version, long sender, long receiver, int flags) {
    static final int MAGIC = 0x43524C50; // "CRLP"
    static final int VERSION = 1;
    static final int VERSION_WITH_FLAGS = 2;
    static final int SIZE = 4 + 4 + 8 + 8;
    static final int SASL = 1;

    /** A version 1 hello: no flags. */
    Hello(int version, long sender, long receiver) {
        this(version, sender, receiver, 0);
    }

    boolean sasl() {
        return (flags & SASL) != 0;
    }

    void writeTo(ByteBuf out) {
        boolean withFlags = version >= VERSION_WITH_FLAGS;
        out.writeInt(SIZE + (withFlags ? 4 : 0));
        out.writeInt(MAGIC);
        out.writeInt(version);
        out.writeLong(sender);
        out.writeLong(receiver);
        if (withFlags) {
            out.writeInt(flags);
        }
    }

    /** Parses a hello frame (without its length prefix); null if it is not one. */
    static Hello parse(ByteBuf frame) {
        int size = frame.readableBytes();
        if ((size != SIZE && size != SIZE + 4) || frame.readInt() != MAGIC) {
            return null;
        }
        int version = frame.readInt();
        long sender = frame.readLong();
        long receiver = frame.readLong();
        if ((version >= VERSION_WITH_FLAGS) != (size == SIZE + 4)) {
            return null;
        }
        return new Hello(version, sender, receiver, size == SIZE + 4 ? frame.readInt() : 0);
    }
}
