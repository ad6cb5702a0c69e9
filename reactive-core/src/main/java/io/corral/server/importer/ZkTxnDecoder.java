package io.corral.server.importer;

import io.corral.protocol.Acl;
import io.corral.protocol.JuteInput;
import io.corral.server.txn.EphemeralOwner;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the bytes of a ZooKeeper txn log record: the TxnHeader (session, cxid, zxid, time, type), the txn of
 * that type in jute, and, when bytes remain, the TxnDigest (version, tree digest) of ZooKeeper 3.6+.
 */
final class ZkTxnDecoder {
    private ZkTxnDecoder() {
    }

    /** @throws IllegalArgumentException (with what is wrong) when the bytes are no txn this decoder knows */
    static ZkTxn decode(byte[] bytes) {
        JuteInput in = new JuteInput(Unpooled.wrappedBuffer(bytes), Integer.MAX_VALUE);
        long sessionId = in.readLong();
        int cxid = in.readInt();
        long zxid = in.readLong();
        long time = in.readLong();
        int type = in.readInt();
        ZkTxn.Body body = type == ZkTxn.CLOSE_SESSION ? closeSession(in) : body(type, sessionId, in);
        int digestVersion = 0;
        long digest = 0;
        if (in.hasRemaining()) {
            digestVersion = in.readInt();
            digest = in.readLong();
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("txn 0x" + Long.toHexString(zxid) + " of type " + type
                    + " has bytes left over after its body and digest");
        }
        return new ZkTxn(sessionId, cxid, zxid, time, type, body, digestVersion, digest);
    }

    /** 3.6+ lists the session's ephemerals (closeSessionTxn, on by default); 3.5 writes no body. */
    private static ZkTxn.Body closeSession(JuteInput in) {
        if (!in.hasRemaining()) {
            return new ZkTxn.CloseSession(null);
        }
        return new ZkTxn.CloseSession(in.readStringList());
    }

    private static ZkTxn.Body body(int type, long sessionId, JuteInput in) {
        return switch (type) {
            case ZkTxn.CREATE, ZkTxn.CREATE2 -> {
                String path = in.readString();
                byte[] data = in.readBuffer();
                List<Acl> acl = in.readAclList();
                boolean ephemeral = in.readBool();
                yield new ZkTxn.Create(path, data, acl, ephemeral ? sessionId : 0, in.readInt());
            }
            case ZkTxn.CREATE_CONTAINER -> new ZkTxn.Create(in.readString(), in.readBuffer(), in.readAclList(),
                    EphemeralOwner.CONTAINER, in.readInt());
            case ZkTxn.CREATE_TTL -> {
                String path = in.readString();
                byte[] data = in.readBuffer();
                List<Acl> acl = in.readAclList();
                int parentCversion = in.readInt();
                yield new ZkTxn.Create(path, data, acl, EphemeralOwner.ttl(in.readLong()), parentCversion);
            }
            case ZkTxn.DELETE, ZkTxn.DELETE_CONTAINER -> new ZkTxn.Delete(in.readString());
            case ZkTxn.SET_DATA, ZkTxn.RECONFIG -> new ZkTxn.SetData(in.readString(), in.readBuffer(), in.readInt());
            case ZkTxn.SET_ACL -> new ZkTxn.SetAcl(in.readString(), in.readAclList(), in.readInt());
            case ZkTxn.CHECK -> new ZkTxn.Check(in.readString(), in.readInt());
            case ZkTxn.CREATE_SESSION -> new ZkTxn.CreateSession(in.readInt());
            case ZkTxn.ERROR -> new ZkTxn.Error(in.readInt());
            case ZkTxn.MULTI -> multi(sessionId, in);
            default -> throw new IllegalArgumentException("unknown txn type " + type);
        };
    }

    private static ZkTxn.Multi multi(long sessionId, JuteInput in) {
        int count = in.readInt();
        if (count < 0) {
            throw new IllegalArgumentException("multi with " + count + " ops");
        }
        List<ZkTxn.Op> ops = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            int type = in.readInt();
            byte[] op = in.readBuffer();
            JuteInput opIn = new JuteInput(Unpooled.wrappedBuffer(op == null ? new byte[0] : op), Integer.MAX_VALUE);
            ZkTxn.Body body = switch (type) {
                case ZkTxn.MULTI, ZkTxn.CREATE_SESSION, ZkTxn.CLOSE_SESSION, ZkTxn.RECONFIG, ZkTxn.SET_ACL ->
                        throw new IllegalArgumentException("a multi cannot hold a txn of type " + type);
                default -> body(type, sessionId, opIn);
            };
            ops.add(new ZkTxn.Op(type, body));
        }
        return new ZkTxn.Multi(ops);
    }
}
