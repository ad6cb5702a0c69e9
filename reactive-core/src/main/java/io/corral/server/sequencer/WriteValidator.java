package io.corral.server.sequencer;

import io.corral.protocol.Acl;
import io.corral.protocol.CheckVersionRequest;
import io.corral.protocol.CreateMode;
import io.corral.protocol.CreateRequest;
import io.corral.protocol.DeleteRequest;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.Id;
import io.corral.protocol.MultiOp;
import io.corral.protocol.MultiRequest;
import io.corral.protocol.OpCode;
import io.corral.protocol.PathRequest;
import io.corral.protocol.ReconfigRequest;
import io.corral.protocol.Perms;
import io.corral.protocol.SetAclRequest;
import io.corral.protocol.SetDataRequest;
import io.corral.server.auth.AccessControl;
import io.corral.server.auth.AclValidator;
import io.corral.server.auth.InvalidAclException;
import io.corral.server.tree.DataTree;
import io.corral.server.tree.PathValidator;
import io.corral.server.txn.EphemeralOwner;
import io.corral.server.txn.Txn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a write request into a txn: checks it, in ZooKeeper's order of checks, against the tree plus every
 * pending change, and records its own effect as pending. A failed check still yields a txn (an error txn), because
 * in ZooKeeper every write that reaches the write path consumes a zxid.
 */
final class WriteValidator {
    private static final String CONFIG_NODE = "/zookeeper/config";
    private final PendingChanges pending;
    private final boolean extendedTypesEnabled;
    private final AccessControl acls;
    /** Whether the x509 scheme has a provider: clients can connect over TLS. */
    private final boolean x509;
    /** Whether the sasl scheme has a provider (authProvider.N names ZooKeeper's SASLAuthenticationProvider). */
    private final boolean sasl;
    private final QuotaCheck quotas;
    private final ReconfigPlanner reconfigs;

    WriteValidator(PendingChanges pending, boolean extendedTypesEnabled, AccessControl acls, boolean x509,
                   boolean sasl, QuotaCheck quotas) {
        this(pending, extendedTypesEnabled, acls, x509, sasl, quotas, ReconfigPlanner.disabled());
    }

    WriteValidator(PendingChanges pending, boolean extendedTypesEnabled, AccessControl acls, boolean x509,
                   boolean sasl, QuotaCheck quotas, ReconfigPlanner reconfigs) {
        this.reconfigs = reconfigs;
        this.x509 = x509;
        this.sasl = sasl;
        this.quotas = quotas;
        this.pending = pending;
        this.extendedTypesEnabled = extendedTypesEnabled;
        this.acls = acls;
    }

    /**
     * @param ids the identities of the requesting connection, or null for the server's own writes
     * @param closing whether the requesting session is already closing
     */
    Txn validate(int type, Object body, long zxid, long sessionId, Collection<Id> ids, boolean closing) {
        try {
            if (type == OpCode.MULTI) {
                return validateMulti((MultiRequest) body, zxid, sessionId, ids, closing);
            }
            return validateOp(type, body, zxid, sessionId, ids, closing);
        } catch (KeeperError e) {
            return new Txn.Error(e.code);
        }
    }

    private Txn validateMulti(MultiRequest multi, long zxid, long sessionId, Collection<Id> ids, boolean closing)
            throws KeeperError {
        for (MultiOp op : multi.ops()) {
            if (!isMultiWriteOp(op.type())) {
                throw new KeeperError(ErrorCode.MARSHALLING_ERROR);
            }
            if (op.request() instanceof CreateRequest create && CreateMode.fromFlag(create.flags()) == null) {
                throw new KeeperError(ErrorCode.MARSHALLING_ERROR);
            }
        }
        int mark = pending.mark();
        List<Txn> results = new ArrayList<>(multi.ops().size());
        for (int i = 0; i < multi.ops().size(); i++) {
            MultiOp op = multi.ops().get(i);
            try {
                results.add(validateOp(op.type(), op.request(), zxid, sessionId, ids, closing));
            } catch (KeeperError e) {
                pending.rollback(mark);
                List<Txn> failed = new ArrayList<>(multi.ops().size());
                for (int j = 0; j < multi.ops().size(); j++) {
                    int code = j < i ? ErrorCode.OK : j == i ? e.code : ErrorCode.RUNTIME_INCONSISTENCY;
                    failed.add(new Txn.Error(code));
                }
                return new Txn.Multi(failed, true);
            }
        }
        return new Txn.Multi(results, false);
    }

    private static boolean isMultiWriteOp(int type) {
        return switch (type) {
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL, OpCode.DELETE,
                    OpCode.SET_DATA, OpCode.CHECK -> true;
            default -> false;
        };
    }

    private Txn validateOp(int type, Object body, long zxid, long sessionId, Collection<Id> ids, boolean closing)
            throws KeeperError {
        return switch (type) {
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL ->
                    create(type, (CreateRequest) body, zxid, sessionId, ids, closing);
            case OpCode.DELETE -> delete((DeleteRequest) body, zxid, ids, closing, false);
            case OpCode.DELETE_CONTAINER -> delete(new DeleteRequest(((PathRequest) body).path(), -1), zxid, ids,
                    closing, true);
            case OpCode.SET_DATA -> setData((SetDataRequest) body, zxid, ids, closing);
            case OpCode.SET_ACL -> setAcl((SetAclRequest) body, zxid, ids, closing);
            case OpCode.CHECK -> check((CheckVersionRequest) body, ids, closing);
            case OpCode.RECONFIG -> reconfig((ReconfigRequest) body, zxid, ids, closing);
            default -> throw new KeeperError(ErrorCode.UNIMPLEMENTED);
        };
    }

    private Txn create(int type, CreateRequest req, long zxid, long sessionId, Collection<Id> ids, boolean closing)
            throws KeeperError {
        CreateMode mode = CreateMode.fromFlag(req.flags());
        if (mode == null) {
            throw new KeeperError(ErrorCode.BAD_ARGUMENTS);
        }
        if (mode.isTtl() && !extendedTypesEnabled) {
            throw new KeeperError(ErrorCode.UNIMPLEMENTED);
        }
        validateTtl(mode, req.ttl(), type == OpCode.CREATE_TTL);
        checkSession(closing);
        String path = notNull(req.path());
        int lastSlash = path.lastIndexOf('/');
        if (lastSlash < 0 || path.indexOf('\0') >= 0) {
            throw new KeeperError(ErrorCode.BAD_ARGUMENTS);
        }
        List<Acl> acl = fixupAcl(req.acl(), ids);
        String parentPath = lastSlash == 0 ? "/" : path.substring(0, lastSlash);
        NodeRecord parent = pending.lookup(parentPath);
        if (parent == null) {
            throw new KeeperError(ErrorCode.NO_NODE);
        }
        checkAcl(parent.acl(), Perms.CREATE, ids);
        int parentCversion = parent.childCreations();
        if (mode.isSequential()) {
            path = path + String.format(Locale.ROOT, "%010d", parentCversion);
        }
        if (!PathValidator.isValid(path)) {
            throw new KeeperError(ErrorCode.BAD_ARGUMENTS);
        }
        if (pending.lookup(path) != null) {
            throw new KeeperError(ErrorCode.NODE_EXISTS);
        }
        if (EphemeralOwner.isSession(parent.ephemeralOwner())) {
            throw new KeeperError(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS);
        }
        quotas.check(path, NodeRecord.lengthOf(req.data()), 1);
        long owner;
        if (type == OpCode.CREATE_CONTAINER) {
            owner = EphemeralOwner.CONTAINER;
        } else if (type == OpCode.CREATE_TTL) {
            owner = EphemeralOwner.ttl(req.ttl());
        } else {
            owner = mode.isEphemeral() ? sessionId : 0;
        }
        pending.add(parent.withChildAdded(zxid));
        pending.add(NodeRecord.created(path, zxid, owner, acl, req.data()));
        boolean withStat = type != OpCode.CREATE;
        return new Txn.Create(path, req.data(), acl, owner, parentCversion + 1, withStat);
    }

    /**
     * A TTL mode needs 1 <= ttl <= MAX_TTL; any other mode takes no ttl. createTTL with a non-TTL mode is refused
     * whatever its ttl: ZooKeeper refuses ttl >= 0 and fails to apply a negative one.
     */
    private void validateTtl(CreateMode mode, long ttl, boolean createTtlOpcode) throws KeeperError {
        if (mode.isTtl()) {
            if (ttl <= 0 || ttl > EphemeralOwner.MAX_TTL) {
                throw new KeeperError(ErrorCode.BAD_ARGUMENTS);
            }
        } else if (ttl >= 0 || createTtlOpcode) {
            throw new KeeperError(ErrorCode.BAD_ARGUMENTS);
        }
    }

    private Txn delete(DeleteRequest req, long zxid, Collection<Id> ids, boolean closing, boolean reaping)
            throws KeeperError {
        checkSession(closing);
        String path = notNull(req.path());
        int lastSlash = path.lastIndexOf('/');
        if (lastSlash < 0 || path.indexOf('\0') >= 0 || DataTree.isReserved(path)) {
            throw new KeeperError(ErrorCode.BAD_ARGUMENTS);
        }
        String parentPath = lastSlash == 0 ? "/" : path.substring(0, lastSlash);
        NodeRecord parent = pending.lookup(parentPath);
        if (parent == null) {
            throw new KeeperError(ErrorCode.NO_NODE);
        }
        checkAcl(parent.acl(), Perms.DELETE, ids);
        NodeRecord node = pending.lookup(path);
        if (node == null) {
            throw new KeeperError(ErrorCode.NO_NODE);
        }
        if (reaping && !EphemeralOwner.isContainer(node.ephemeralOwner())
                && !EphemeralOwner.isTtl(node.ephemeralOwner())) {
            throw new KeeperError(ErrorCode.BAD_VERSION);
        }
        checkVersion(node.version(), req.version());
        if (node.numChildren() > 0) {
            throw new KeeperError(ErrorCode.NOT_EMPTY);
        }
        pending.add(parent.withChildRemoved(zxid));
        pending.add(node.deleted(zxid));
        return new Txn.Delete(path);
    }

    private Txn setData(SetDataRequest req, long zxid, Collection<Id> ids, boolean closing) throws KeeperError {
        checkSession(closing);
        validatePath(req.path());
        NodeRecord node = existing(req.path());
        checkAcl(node.acl(), Perms.WRITE, ids);
        quotas.check(req.path(), (long) NodeRecord.lengthOf(req.data()) - node.dataLength(), 0);
        int newVersion = checkVersion(node.version(), req.version());
        pending.add(node.withData(zxid, newVersion, req.data()));
        return new Txn.SetData(req.path(), req.data(), newVersion);
    }

    /**
     * A reconfig sets {@code /zookeeper/config} to the new configuration (ZooKeeper's SetDataTxn, data version -1);
     * the WRITE permission on that node (world may only read it: the super user, or skipACL) is checked last.
     */
    private Txn reconfig(ReconfigRequest req, long zxid, Collection<Id> ids, boolean closing) throws KeeperError {
        byte[] data = reconfigs.plan(req, zxid, closing);
        NodeRecord node = existing(CONFIG_NODE);
        checkAcl(node.acl(), Perms.WRITE, ids);
        pending.add(node.withData(zxid, -1, data));
        return new Txn.SetData(CONFIG_NODE, data, -1);
    }

    private Txn setAcl(SetAclRequest req, long zxid, Collection<Id> ids, boolean closing) throws KeeperError {
        checkSession(closing);
        validatePath(req.path());
        List<Acl> acl = fixupAcl(req.acl(), ids);
        NodeRecord node = existing(req.path());
        checkAcl(node.acl(), Perms.ADMIN, ids);
        int newAversion = checkVersion(node.aversion(), req.version());
        pending.add(node.withAcl(zxid, acl, newAversion));
        return new Txn.SetAcl(req.path(), acl, newAversion);
    }

    private Txn check(CheckVersionRequest req, Collection<Id> ids, boolean closing) throws KeeperError {
        checkSession(closing);
        validatePath(req.path());
        NodeRecord node = existing(req.path());
        checkAcl(node.acl(), Perms.READ, ids);
        checkVersion(node.version(), req.version());
        return new Txn.Check(req.path());
    }

    /** Validates closeSession: the session's ephemerals, as of every pending change, are deleted with it. */
    Txn closeSession(long sessionId, long zxid, Set<String> ephemeralsInTree) {
        Set<String> toDelete = new TreeSet<>(ephemeralsInTree);
        for (NodeRecord record : pending.pendingOfOwner(sessionId)) {
            if (record.exists()) {
                toDelete.add(record.path());
            } else {
                toDelete.remove(record.path());
            }
        }
        for (String path : toDelete) {
            NodeRecord node = pending.lookup(path);
            NodeRecord parent = pending.lookup(PathValidator.parent(path));
            if (node != null && parent != null) {
                pending.add(parent.withChildRemoved(zxid));
                pending.add(node.deleted(zxid));
            }
        }
        return new Txn.CloseSession(List.copyOf(toDelete));
    }

    private NodeRecord existing(String path) throws KeeperError {
        NodeRecord node = pending.lookup(path);
        if (node == null) {
            throw new KeeperError(ErrorCode.NO_NODE);
        }
        return node;
    }

    /** A null path where ZooKeeper takes it apart without a check: it fails there, answering MARSHALLINGERROR. */
    static String notNull(String path) throws KeeperError {
        if (path == null) {
            throw new KeeperError(ErrorCode.MARSHALLING_ERROR);
        }
        return path;
    }

    private static void validatePath(String path) throws KeeperError {
        if (!PathValidator.isValid(path)) {
            throw new KeeperError(ErrorCode.BAD_ARGUMENTS);
        }
    }

    private static void checkSession(boolean closing) throws KeeperError {
        if (closing) {
            throw new KeeperError(ErrorCode.SESSION_EXPIRED);
        }
    }

    /** -1 matches any version; returns the version after the write. */
    private static int checkVersion(int current, int expected) throws KeeperError {
        if (expected != -1 && expected != current) {
            throw new KeeperError(ErrorCode.BAD_VERSION);
        }
        return current + 1;
    }

    private void checkAcl(List<Acl> acl, int perm, Collection<Id> ids) throws KeeperError {
        if (ids != null && !acls.permits(acl, perm, ids)) {
            throw new KeeperError(ErrorCode.NO_AUTH);
        }
    }

    private List<Acl> fixupAcl(List<Acl> requested, Collection<Id> ids) throws KeeperError {
        try {
            return AclValidator.fixup(requested, ids == null ? List.of() : ids, x509, sasl);
        } catch (InvalidAclException e) {
            throw new KeeperError(e.code());
        }
    }
}
