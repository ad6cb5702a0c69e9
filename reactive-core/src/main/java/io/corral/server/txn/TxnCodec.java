package io.corral.server.txn;

import io.corral.protocol.JuteInput;
import io.corral.protocol.JuteOutput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a txn body, as the transaction log stores it and (later) the leader sends it to followers.
 * A tag, then the fields, in ZooKeeper's jute encoding. The header (zxid, session, cxid, time, type) travels
 * beside it.
 */
public final class TxnCodec {
    private static final int CREATE = 1;
    private static final int DELETE = 2;
    private static final int SET_DATA = 3;
    private static final int SET_ACL = 4;
    private static final int CHECK = 5;
    private static final int CREATE_SESSION = 6;
    private static final int CLOSE_SESSION = 7;
    private static final int ERROR = 8;
    private static final int MULTI = 9;

    private static final int SCRATCH_INITIAL = 1024;
    private static final int SCRATCH_KEPT = 64 * 1024;
    private static final ThreadLocal<ByteBuf> SCRATCH = ThreadLocal.withInitial(() -> Unpooled.buffer(SCRATCH_INITIAL));

    private TxnCodec() {
    }

    /**
     * The txn's bytes, exactly as long as they need to be. Encoded into a scratch buffer of the calling thread (the
     * sequencer encodes every txn) and copied out once: no buffer per txn that grows and is thrown away.
     */
    public static byte[] encode(Txn txn) {
        ByteBuf buf = SCRATCH.get();
        buf.clear();
        try {
            write(txn, new JuteOutput(buf));
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            if (buf.capacity() > SCRATCH_KEPT) { // one large txn does not pin its buffer to the thread
                SCRATCH.set(Unpooled.buffer(SCRATCH_INITIAL));
            }
        }
    }

    public static Txn decode(byte[] bytes) {
        return read(new JuteInput(Unpooled.wrappedBuffer(bytes), Integer.MAX_VALUE));
    }

    private static void write(Txn txn, JuteOutput out) {
        if (txn instanceof Txn.Create c) {
            out.writeInt(CREATE).writeString(c.path()).writeBuffer(c.data()).writeAclList(c.acl())
                    .writeLong(c.ephemeralOwner()).writeInt(c.parentCversion()).writeBool(c.withStat());
        } else if (txn instanceof Txn.Delete d) {
            out.writeInt(DELETE).writeString(d.path());
        } else if (txn instanceof Txn.SetData s) {
            out.writeInt(SET_DATA).writeString(s.path()).writeBuffer(s.data()).writeInt(s.version());
        } else if (txn instanceof Txn.SetAcl s) {
            out.writeInt(SET_ACL).writeString(s.path()).writeAclList(s.acl()).writeInt(s.version());
        } else if (txn instanceof Txn.Check c) {
            out.writeInt(CHECK).writeString(c.path());
        } else if (txn instanceof Txn.CreateSession s) {
            out.writeInt(CREATE_SESSION).writeInt(s.timeout()).writeBuffer(s.password());
        } else if (txn instanceof Txn.CloseSession s) {
            out.writeInt(CLOSE_SESSION).writeStringList(s.ephemeralsToDelete());
        } else if (txn instanceof Txn.Error e) {
            out.writeInt(ERROR).writeInt(e.err());
        } else if (txn instanceof Txn.Multi m) {
            out.writeInt(MULTI).writeBool(m.failed()).writeInt(m.ops().size());
            for (Txn op : m.ops()) {
                write(op, out);
            }
        } else {
            throw new IllegalArgumentException("unknown txn " + txn);
        }
    }

    private static Txn read(JuteInput in) {
        int tag = in.readInt();
        return switch (tag) {
            case CREATE -> new Txn.Create(in.readString(), in.readBuffer(), in.readAclList(), in.readLong(),
                    in.readInt(), in.readBool());
            case DELETE -> new Txn.Delete(in.readString());
            case SET_DATA -> new Txn.SetData(in.readString(), in.readBuffer(), in.readInt());
            case SET_ACL -> new Txn.SetAcl(in.readString(), in.readAclList(), in.readInt());
            case CHECK -> new Txn.Check(in.readString());
            case CREATE_SESSION -> new Txn.CreateSession(in.readInt(), in.readBuffer());
            case CLOSE_SESSION -> new Txn.CloseSession(List.copyOf(in.readStringList()));
            case ERROR -> new Txn.Error(in.readInt());
            case MULTI -> {
                boolean failed = in.readBool();
                int count = in.readInt();
                List<Txn> ops = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    ops.add(read(in));
                }
                yield new Txn.Multi(ops, failed);
            }
            default -> throw new IllegalArgumentException("unknown txn tag " + tag);
        };
    }
}
