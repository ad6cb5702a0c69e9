package io.corral.server.importer;

import io.corral.protocol.Acl;

import java.util.List;

/**
 * A txn of ZooKeeper's log: its header, its body, and the tree digest ZooKeeper 3.6+ logs after it.
 *
 * @param digestVersion 0 when the record carries no digest
 * @param treeDigest    the digest of ZooKeeper's tree once this txn was applied (see {@link io.corral.server.tree.TreeDigest})
 */
record ZkTxn(long sessionId, int cxid, long zxid, long time, int type, Body body, int digestVersion,
             long treeDigest) {

    /** ZooKeeper's op codes of the txns its log holds. */
    static final int CREATE = 1;
    static final int DELETE = 2;
    static final int SET_DATA = 5;
    static final int SET_ACL = 7;
    static final int CHECK = 13;
    static final int MULTI = 14;
    static final int CREATE2 = 15;
    static final int RECONFIG = 16;
    static final int CREATE_CONTAINER = 19;
    static final int DELETE_CONTAINER = 20;
    static final int CREATE_TTL = 21;
    static final int CREATE_SESSION = -10;
    static final int CLOSE_SESSION = -11;
    static final int ERROR = -1;

    sealed interface Body {
    }

    /** create, create2, createContainer and createTTL: the owner is the raw ephemeralOwner the node gets. */
    record Create(String path, byte[] data, List<Acl> acl, long ephemeralOwner, int parentCversion) implements Body {
    }

    record Delete(String path) implements Body {
    }

    /** setData and reconfig (which sets /zookeeper/config). */
    record SetData(String path, byte[] data, int version) implements Body {
    }

    record SetAcl(String path, List<Acl> acl, int version) implements Body {
    }

    record Check(String path, int version) implements Body {
    }

    record CreateSession(int timeout) implements Body {
    }

    /** paths: the ephemerals ZooKeeper 3.6+ lists in the txn, or null (3.5, or closeSessionTxn disabled). */
    record CloseSession(List<String> paths) implements Body {
    }

    record Error(int err) implements Body {
    }

    /** One op of a multi, with its own type. */
    record Op(int type, Body body) {
    }

    record Multi(List<Op> ops) implements Body {
    }
}
