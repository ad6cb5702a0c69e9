package io.corral.server.txn;

import io.corral.protocol.Acl;

import java.util.List;

/**
 * A transaction: the validated, deterministic form of a write. Applying the same txns in zxid order to the same
 * tree gives the same tree everywhere, which is what the log and the quorum replicate.
 */
public sealed interface Txn {

    /** A node creation. ephemeralOwner is the raw owner: a session id, or a container/TTL marker (see EphemeralOwner). */
    record Create(String path, byte[] data, List<Acl> acl, long ephemeralOwner, int parentCversion, boolean withStat)
            implements Txn {
    }

    record Delete(String path) implements Txn {
    }

    record SetData(String path, byte[] data, int version) implements Txn {
    }

    record SetAcl(String path, List<Acl> acl, int version) implements Txn {
    }

    /** A successful check inside a multi: nothing to apply, but it has a result. */
    record Check(String path) implements Txn {
    }

    record CreateSession(int timeout, byte[] password) implements Txn {
    }

    /** Ends a session; the ephemerals it still owned at validation time are deleted in this order. */
    record CloseSession(List<String> ephemeralsToDelete) implements Txn {
    }

    /** A write that failed validation: it consumes a zxid and answers with this error. */
    record Error(int err) implements Txn {
    }

    /** An all-or-nothing multi: either every op succeeds, or ops is a list of Error results. */
    record Multi(List<Txn> ops, boolean failed) implements Txn {
    }
}
