package io.corral.server.sequencer;

import io.corral.server.auth.AccessControl;

import static io.corral.protocol.ErrorCode.BAD_ARGUMENTS;
import static io.corral.protocol.ErrorCode.BAD_VERSION;
import static io.corral.protocol.ErrorCode.INVALID_ACL;
import static io.corral.protocol.ErrorCode.MARSHALLING_ERROR;
import static io.corral.protocol.ErrorCode.NODE_EXISTS;
import static io.corral.protocol.ErrorCode.NOT_EMPTY;
import static io.corral.protocol.ErrorCode.NO_AUTH;
import static io.corral.protocol.ErrorCode.NO_CHILDREN_FOR_EPHEMERALS;
import static io.corral.protocol.ErrorCode.NO_NODE;
import static io.corral.protocol.ErrorCode.OK;
import static io.corral.protocol.ErrorCode.RECONFIG_DISABLED;
import static io.corral.protocol.ErrorCode.RUNTIME_INCONSISTENCY;
import static io.corral.protocol.ErrorCode.SESSION_EXPIRED;
import static io.corral.protocol.ErrorCode.UNIMPLEMENTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.protocol.Acl;
import io.corral.protocol.CheckVersionRequest;
import io.corral.protocol.CreateRequest;
import io.corral.protocol.DeleteRequest;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.Id;
import io.corral.protocol.MultiOp;
import io.corral.protocol.MultiRequest;
import io.corral.protocol.OpCode;
import io.corral.protocol.PathRequest;
import io.corral.protocol.PathWatchRequest;
import io.corral.protocol.Perms;
import io.corral.protocol.ReconfigRequest;
import io.corral.protocol.SetAclRequest;
import io.corral.protocol.SetDataRequest;
import io.corral.server.auth.DigestAuth;
import io.corral.server.tree.DataTree;
import io.corral.server.txn.EphemeralOwner;
import io.corral.server.txn.Txn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The order of checks of every write (ZK_WIRE section 7.5): each case makes several checks fail at once and expects
 * the error of the earliest one. The tree:
 *
 * <pre>
 * /open          world:anyone ALL, one child /open/child
 * /ro            world:anyone READ|ADMIN (aversion 1), one child /ro/kid
 * /noadmin       world:anyone READ|WRITE|CREATE|DELETE
 * /eph           ephemeral of SESSION
 * /ctr           a container
 * </pre>
 */
class WriteValidatorTest {
    private static final long SESSION = 0x0100_0000_0000_0007L;
    private static final List<Id> IDS = List.of(new Id("ip", "127.0.0.1"));
    private static final List<Acl> READ_ONLY = List.of(new Acl(Perms.READ, Id.ANYONE));
    private static final List<Acl> READ_ADMIN = List.of(new Acl(Perms.READ | Perms.ADMIN, Id.ANYONE));
    private static final List<Acl> NO_ADMIN = List.of(new Acl(Perms.ALL & ~Perms.ADMIN, Id.ANYONE));
    private static final List<Acl> INVALID_ACL_LIST = List.of(new Acl(Perms.ALL, new Id("world", "someone")));

    private DataTree tree;
    private PendingChanges pending;
    private WriteValidator validator;
    private long zxid;

    @BeforeEach
    void buildTree() {
        tree = new DataTree();
        pending = new PendingChanges(tree);
        validator = new WriteValidator(pending, true, new AccessControl(false, null), false, false,
                new QuotaCheck(tree, true));
        node("/open", Acl.OPEN_ACL_UNSAFE, 0);
        node("/open/child", Acl.OPEN_ACL_UNSAFE, 0);
        node("/ro", Acl.OPEN_ACL_UNSAFE, 0);
        node("/ro/kid", Acl.OPEN_ACL_UNSAFE, 0);
        tree.setAcl("/ro", READ_ADMIN, 1);
        node("/noadmin", NO_ADMIN, 0);
        node("/eph", Acl.OPEN_ACL_UNSAFE, SESSION);
        node("/ctr", Acl.OPEN_ACL_UNSAFE, EphemeralOwner.CONTAINER);
        tree.setLastAppliedZxid(zxid);
    }

    private void node(String path, List<Acl> acl, long owner) {
        String parent = path.substring(0, Math.max(1, path.lastIndexOf('/')));
        tree.create(path, null, acl, owner, tree.get(parent).childCreations() + 1, ++zxid, 0);
    }

    private Txn validate(int type, Object body) {
        return validator.validate(type, body, ++zxid, SESSION, IDS, false);
    }

    private Txn validateClosing(int type, Object body) {
        return validator.validate(type, body, ++zxid, SESSION, IDS, true);
    }

    private static int err(Txn txn) {
        return txn instanceof Txn.Error e ? e.err() : OK;
    }

    private static CreateRequest create(String path, int flags) {
        return new CreateRequest(path, null, Acl.OPEN_ACL_UNSAFE, flags, -1);
    }

    private static CreateRequest create(String path, List<Acl> acl) {
        return new CreateRequest(path, null, acl, 0, -1);
    }

    /** Asserts a map of label -> expected error, reporting every mismatch at once. */
    private static void assertErrors(Map<String, Integer> expected, Map<String, Txn> actual) {
        Map<String, String> want = new LinkedHashMap<>();
        Map<String, String> got = new LinkedHashMap<>();
        expected.forEach((label, code) -> {
            want.put(label, ErrorCode.name(code));
            got.put(label, ErrorCode.name(err(actual.get(label))));
        });
        assertThat(got).isEqualTo(want);
    }

    // --- create --------------------------------------------------------------------------------------------------

    @Test
    void createChecksInZooKeepersOrder() {
        Map<String, Integer> expected = new LinkedHashMap<>();
        Map<String, Txn> actual = new LinkedHashMap<>();
        // 1. invalid flags beat the session check, the path, the ACL and the parent
        expected.put("flags 7", BAD_ARGUMENTS);
        actual.put("flags 7", validateClosing(OpCode.CREATE,
                new CreateRequest("nopath", null, INVALID_ACL_LIST, 7, -1)));
        // 3. TTL value invalid for the mode, before the session check
        expected.put("ttl 0", BAD_ARGUMENTS);
        actual.put("ttl 0", validateClosing(OpCode.CREATE_TTL, new CreateRequest("/open/t", null,
                Acl.OPEN_ACL_UNSAFE, 5, 0)));
        expected.put("ttl too big", BAD_ARGUMENTS);
        actual.put("ttl too big", validate(OpCode.CREATE_TTL, new CreateRequest("/open/t", null,
                Acl.OPEN_ACL_UNSAFE, 6, EphemeralOwner.MAX_TTL + 1)));
        expected.put("ttl with a non-ttl mode", BAD_ARGUMENTS);
        actual.put("ttl with a non-ttl mode", validate(OpCode.CREATE_TTL, new CreateRequest("/open/t", null,
                Acl.OPEN_ACL_UNSAFE, 0, 100)));
        expected.put("ttl mode on opcode create", BAD_ARGUMENTS);
        actual.put("ttl mode on opcode create", validate(OpCode.CREATE2, create("/open/t", 5)));
        // 4. the session check beats the path
        expected.put("closing session", SESSION_EXPIRED);
        actual.put("closing session", validateClosing(OpCode.CREATE, new CreateRequest("nopath", null,
                INVALID_ACL_LIST, 0, -1)));
        // 5. no slash / NUL beat an invalid ACL
        expected.put("no slash", BAD_ARGUMENTS);
        actual.put("no slash", validate(OpCode.CREATE, create("nopath", INVALID_ACL_LIST)));
        expected.put("null path", MARSHALLING_ERROR); // ZooKeeper fails on the null (lastIndexOf)
        actual.put("null path", validate(OpCode.CREATE, create(null, INVALID_ACL_LIST)));
        expected.put("NUL", BAD_ARGUMENTS);
        actual.put("NUL", validate(OpCode.CREATE, create("/missing/a\u0000", INVALID_ACL_LIST)));
        // 6. an invalid ACL beats a missing parent and a parent without CREATE
        expected.put("invalid ACL, missing parent", INVALID_ACL);
        actual.put("invalid ACL, missing parent", validate(OpCode.CREATE, create("/missing/x", INVALID_ACL_LIST)));
        expected.put("empty ACL, parent without CREATE", INVALID_ACL);
        actual.put("empty ACL, parent without CREATE", validate(OpCode.CREATE, create("/ro/x", List.of())));
        expected.put("auth ACL without a digest id", INVALID_ACL);
        actual.put("auth ACL without a digest id", validate(OpCode.CREATE, create("/ro/x", Acl.CREATOR_ALL_ACL)));
        // 7. a missing parent
        expected.put("missing parent", NO_NODE);
        actual.put("missing parent", validate(OpCode.CREATE, create("/missing/x", 0)));
        expected.put("empty segment", NO_NODE);
        actual.put("empty segment", validate(OpCode.CREATE, create("/open//b", 0)));
        expected.put("trailing slash, missing parent", NO_NODE);
        actual.put("trailing slash, missing parent", validate(OpCode.CREATE, create("/nopar/x/", 0)));
        // 8. no CREATE on the parent beats the full path rule and NodeExists
        expected.put("no CREATE, invalid name", NO_AUTH);
        actual.put("no CREATE, invalid name", validate(OpCode.CREATE, create("/ro/.", 0)));
        expected.put("no CREATE, existing node", NO_AUTH);
        actual.put("no CREATE, existing node", validate(OpCode.CREATE, create("/ro/kid", 0)));
        // 10. the full path rule beats an ephemeral parent
        expected.put("dot segment", BAD_ARGUMENTS);
        actual.put("dot segment", validate(OpCode.CREATE, create("/open/.", 0)));
        expected.put("trailing slash", BAD_ARGUMENTS);
        actual.put("trailing slash", validate(OpCode.CREATE, create("/open/", 0)));
        expected.put("dot under an ephemeral", BAD_ARGUMENTS);
        actual.put("dot under an ephemeral", validate(OpCode.CREATE, create("/eph/..", 0)));
        // 11. NodeExists, 12. ephemeral parent
        expected.put("exists", NODE_EXISTS);
        actual.put("exists", validate(OpCode.CREATE, create("/open/child", 0)));
        expected.put("reserved path exists", NODE_EXISTS);
        actual.put("reserved path exists", validate(OpCode.CREATE, create("/zookeeper", 0)));
        expected.put("ephemeral parent", NO_CHILDREN_FOR_EPHEMERALS);
        actual.put("ephemeral parent", validate(OpCode.CREATE, create("/eph/x", 0)));
        expected.put("ephemeral parent, sequential", NO_CHILDREN_FOR_EPHEMERALS);
        actual.put("ephemeral parent, sequential", validate(OpCode.CREATE, create("/eph/x", 2)));

        assertErrors(expected, actual);
        assertThat(pending.isEmpty()).as("failed creates leave nothing pending").isTrue();
    }

    /**
     * createTTL (opcode 21) with a non-TTL mode and ttl -1 (or any negative ttl). ZooKeeper 3.9.5 rejects ttl >= 0 with
     * BadArguments, but lets a negative ttl through validation and then fails to apply the txn
     * (IllegalArgumentException in EphemeralType.TTL.toEphemeralOwner): no reply, and a log it cannot replay. Corral
     * used to accept it and store the raw owner TTL_MASK | ttl = -1, i.e. a "TTL node" with a ttl of 2^56 - 1 that is
     * neither ephemeral (so flags 1 outlived its session) nor a container. The only sane answer is BadArguments.
     */
    @Test
    void createTtlWithANonTtlModeAndANegativeTtlIsBadArguments() {
        for (int flags : new int[] {0, 1, 2, 3, 4}) {
            for (long ttl : new long[] {-1, -2, Long.MIN_VALUE}) {
                Txn txn = validate(OpCode.CREATE_TTL, new CreateRequest("/open/ttl-" + flags, null,
                        Acl.OPEN_ACL_UNSAFE, flags, ttl));
                assertThat(err(txn)).as("flags %d, ttl %d", flags, ttl).isEqualTo(BAD_ARGUMENTS);
            }
        }
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void ttlModesNeedExtendedTypesBeforeAnythingButTheFlags() {
        WriteValidator plain = new WriteValidator(pending, false, new AccessControl(false, null), false, false,
                new QuotaCheck(tree, true));
        Txn ttlZero = plain.validate(OpCode.CREATE_TTL, new CreateRequest("nopath", null, List.of(), 5, 0), 1,
                SESSION, IDS, true);
        assertThat(err(ttlZero)).isEqualTo(UNIMPLEMENTED);
        Txn onCreate = plain.validate(OpCode.CREATE, create("/open/t", 6), 2, SESSION, IDS, false);
        assertThat(err(onCreate)).isEqualTo(UNIMPLEMENTED);
        Txn badFlags = plain.validate(OpCode.CREATE_TTL, new CreateRequest("/open/t", null, List.of(), 9, 0), 3,
                SESSION, IDS, false);
        assertThat(err(badFlags)).isEqualTo(BAD_ARGUMENTS);
    }

    @Test
    void successfulCreatesOfEveryKind() {
        Txn.Create plain = (Txn.Create) validate(OpCode.CREATE, new CreateRequest("/open/a", new byte[] {1},
                Acl.OPEN_ACL_UNSAFE, 0, -1));
        assertThat(plain).isEqualTo(new Txn.Create("/open/a", plain.data(), Acl.OPEN_ACL_UNSAFE, 0, 2, false));

        Txn.Create eph = (Txn.Create) validate(OpCode.CREATE2, create("/open/e", 1));
        assertThat(eph.ephemeralOwner()).isEqualTo(SESSION);
        assertThat(eph.withStat()).isTrue();
        assertThat(eph.parentCversion()).isEqualTo(3);

        Txn.Create container = (Txn.Create) validate(OpCode.CREATE_CONTAINER, create("/open/c", 4));
        assertThat(container.ephemeralOwner()).isEqualTo(EphemeralOwner.CONTAINER);
        // opcode create with the container flag is an ordinary persistent node
        Txn.Create notContainer = (Txn.Create) validate(OpCode.CREATE, create("/open/nc", 4));
        assertThat(notContainer.ephemeralOwner()).isZero();

        Txn.Create ttl = (Txn.Create) validate(OpCode.CREATE_TTL, new CreateRequest("/open/t", null,
                Acl.OPEN_ACL_UNSAFE, 5, 60_000));
        assertThat(EphemeralOwner.isTtl(ttl.ephemeralOwner())).isTrue();
        assertThat(EphemeralOwner.ttlOf(ttl.ephemeralOwner())).isEqualTo(60_000);

        // a container and a TTL node may have children, even before they are applied
        assertThat(err(validate(OpCode.CREATE, create("/ctr/x", 0)))).isEqualTo(OK);
        assertThat(err(validate(OpCode.CREATE, create("/open/t/x", 0)))).isEqualTo(OK);
    }

    @Test
    void sequentialSuffixesComeFromTheParentsCounterIncludingPendingCreates() {
        // /open has had one child created: the next suffix is 1
        Txn.Create first = (Txn.Create) validate(OpCode.CREATE, create("/open/s-", 2));
        Txn.Create second = (Txn.Create) validate(OpCode.CREATE, create("/open/s-", 3));
        assertThat(first.path()).isEqualTo("/open/s-0000000001");
        assertThat(second.path()).isEqualTo("/open/s-0000000002");
        // a sequential create may end in a slash: the rule applies to the full name
        Txn.Create slash = (Txn.Create) validate(OpCode.CREATE, create("/open/", 2));
        assertThat(slash.path()).isEqualTo("/open/0000000003");
        assertThat(err(validate(OpCode.DELETE, new DeleteRequest("/open/s-0000000001", -1)))).isEqualTo(OK);
        assertThat(((Txn.Create) validate(OpCode.CREATE, create("/open/s-", 2))).path())
                .as("deletes never lower the counter").isEqualTo("/open/s-0000000004");
    }

    @Test
    void writesSeeEarlierWritesThatAreNotAppliedYet() {
        assertThat(err(validate(OpCode.CREATE, create("/open/p", 0)))).isEqualTo(OK);
        assertThat(err(validate(OpCode.CREATE, create("/open/p", 0)))).isEqualTo(NODE_EXISTS);
        assertThat(err(validate(OpCode.CREATE, create("/open/p/q", 1)))).isEqualTo(OK);
        assertThat(err(validate(OpCode.CREATE, create("/open/p/q/r", 0)))).isEqualTo(NO_CHILDREN_FOR_EPHEMERALS);
        assertThat(err(validate(OpCode.DELETE, new DeleteRequest("/open/p", -1)))).isEqualTo(NOT_EMPTY);
        assertThat(err(validate(OpCode.SET_DATA, new SetDataRequest("/open/p/q", null, 0)))).isEqualTo(OK);
        assertThat(err(validate(OpCode.SET_DATA, new SetDataRequest("/open/p/q", null, 0)))).isEqualTo(BAD_VERSION);
        assertThat(err(validate(OpCode.DELETE, new DeleteRequest("/open/p/q", 1)))).isEqualTo(OK);
        assertThat(err(validate(OpCode.DELETE, new DeleteRequest("/open/p", -1)))).isEqualTo(OK);
        assertThat(err(validate(OpCode.SET_DATA, new SetDataRequest("/open/p", null, -1)))).isEqualTo(NO_NODE);
        assertThat(tree.get("/open/p")).isNull();
    }

    // --- delete ----------------------------------------------------------------------------------------------------

    @Test
    void deleteChecksInZooKeepersOrder() {
        Map<String, Integer> expected = new LinkedHashMap<>();
        Map<String, Txn> actual = new LinkedHashMap<>();
        expected.put("closing session", SESSION_EXPIRED);
        actual.put("closing session", validateClosing(OpCode.DELETE, new DeleteRequest("nopath", 99)));
        for (String path : new String[] {"nopath", "/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config",
                "/open/a\u0000"}) {
            expected.put("syntax " + path, BAD_ARGUMENTS);
            actual.put("syntax " + path, validate(OpCode.DELETE, new DeleteRequest(path, -1)));
        }
        expected.put("missing parent", NO_NODE);
        actual.put("missing parent", validate(OpCode.DELETE, new DeleteRequest("/missing/x", -1)));
        // NoAuth on the parent beats NoNode on the child
        expected.put("no DELETE, missing child", NO_AUTH);
        actual.put("no DELETE, missing child", validate(OpCode.DELETE, new DeleteRequest("/ro/nothing", -1)));
        expected.put("no DELETE", NO_AUTH);
        actual.put("no DELETE", validate(OpCode.DELETE, new DeleteRequest("/ro/kid", 99)));
        // no full path validation on delete: just a missing node
        expected.put("dot segment", NO_NODE);
        actual.put("dot segment", validate(OpCode.DELETE, new DeleteRequest("/open/.", -1)));
        expected.put("missing node", NO_NODE);
        actual.put("missing node", validate(OpCode.DELETE, new DeleteRequest("/open/nothing", -1)));
        // BadVersion beats NotEmpty
        expected.put("bad version, not empty", BAD_VERSION);
        actual.put("bad version, not empty", validate(OpCode.DELETE, new DeleteRequest("/open", 3)));
        expected.put("not empty", NOT_EMPTY);
        actual.put("not empty", validate(OpCode.DELETE, new DeleteRequest("/open", -1)));
        expected.put("ok", OK);
        actual.put("ok", validate(OpCode.DELETE, new DeleteRequest("/open/child", 0)));
        assertErrors(expected, actual);
        assertThat(actual.get("ok")).isEqualTo(new Txn.Delete("/open/child"));
    }

    @Test
    void deleteContainerOnlyReapsContainersAndTtlNodes() {
        assertThat(validator.validate(OpCode.DELETE_CONTAINER, new PathRequest("/ctr"), ++zxid, 0, null, false))
                .isEqualTo(new Txn.Delete("/ctr"));
        assertThat(err(validator.validate(OpCode.DELETE_CONTAINER, new PathRequest("/open/child"), ++zxid, 0, null,
                false))).isNotEqualTo(OK);
        // the server's own writes (ids == null) skip ACL checks
        node("/ro/ctr", Acl.OPEN_ACL_UNSAFE, EphemeralOwner.CONTAINER);
        assertThat(validator.validate(OpCode.DELETE_CONTAINER, new PathRequest("/ro/ctr"), ++zxid, 0, null, false))
                .isEqualTo(new Txn.Delete("/ro/ctr"));
    }

    // --- setData / setACL ------------------------------------------------------------------------------------------

    @Test
    void setDataChecksInZooKeepersOrder() {
        Map<String, Integer> expected = new LinkedHashMap<>();
        Map<String, Txn> actual = new LinkedHashMap<>();
        expected.put("closing session", SESSION_EXPIRED);
        actual.put("closing session", validateClosing(OpCode.SET_DATA, new SetDataRequest("/open/", null, 9)));
        expected.put("invalid path", BAD_ARGUMENTS);
        actual.put("invalid path", validate(OpCode.SET_DATA, new SetDataRequest("/missing/", null, 9)));
        expected.put("missing", NO_NODE);
        actual.put("missing", validate(OpCode.SET_DATA, new SetDataRequest("/missing", null, 9)));
        // NoAuth beats BadVersion
        expected.put("no WRITE, bad version", NO_AUTH);
        actual.put("no WRITE, bad version", validate(OpCode.SET_DATA, new SetDataRequest("/ro", null, 9)));
        expected.put("bad version", BAD_VERSION);
        actual.put("bad version", validate(OpCode.SET_DATA, new SetDataRequest("/open", null, 9)));
        expected.put("ok", OK);
        actual.put("ok", validate(OpCode.SET_DATA, new SetDataRequest("/open", new byte[] {7}, 0)));
        assertErrors(expected, actual);
        Txn.SetData ok = (Txn.SetData) actual.get("ok");
        assertThat(ok.path()).isEqualTo("/open");
        assertThat(ok.version()).isEqualTo(1);
        assertThat(pending.lookup("/open").version()).isEqualTo(1);
    }

    @Test
    void setAclChecksInZooKeepersOrder() {
        Map<String, Integer> expected = new LinkedHashMap<>();
        Map<String, Txn> actual = new LinkedHashMap<>();
        expected.put("closing session", SESSION_EXPIRED);
        actual.put("closing session", validateClosing(OpCode.SET_ACL, new SetAclRequest("bad", List.of(), 9)));
        expected.put("invalid path, invalid ACL", BAD_ARGUMENTS);
        actual.put("invalid path, invalid ACL", validate(OpCode.SET_ACL, new SetAclRequest("/missing/", List.of(), 9)));
        expected.put("invalid ACL, missing node", INVALID_ACL);
        actual.put("invalid ACL, missing node", validate(OpCode.SET_ACL, new SetAclRequest("/missing", null, 9)));
        expected.put("missing", NO_NODE);
        actual.put("missing", validate(OpCode.SET_ACL, new SetAclRequest("/missing", READ_ONLY, 9)));
        expected.put("no ADMIN, bad version", NO_AUTH);
        actual.put("no ADMIN, bad version", validate(OpCode.SET_ACL, new SetAclRequest("/noadmin", READ_ONLY, 9)));
        expected.put("bad version", BAD_VERSION);
        actual.put("bad version", validate(OpCode.SET_ACL, new SetAclRequest("/ro", READ_ONLY, 0)));
        expected.put("ok", OK);
        actual.put("ok", validate(OpCode.SET_ACL, new SetAclRequest("/ro", Acl.OPEN_ACL_UNSAFE, 1)));
        assertErrors(expected, actual);
        assertThat(actual.get("ok")).isEqualTo(new Txn.SetAcl("/ro", Acl.OPEN_ACL_UNSAFE, 2));
        // the pending ACL governs later writes
        assertThat(err(validate(OpCode.CREATE, create("/ro/now-allowed", 0)))).isEqualTo(OK);
    }

    @Test
    void authAclEntriesBecomeTheConnectionsDigestIds() {
        Id alice = new Id(DigestAuth.SCHEME, DigestAuth.digest("alice:pw"));
        List<Id> ids = List.of(new Id("ip", "127.0.0.1"), alice);
        Txn.Create txn = (Txn.Create) validator.validate(OpCode.CREATE,
                new CreateRequest("/open/mine", null, Acl.CREATOR_ALL_ACL, 0, -1), ++zxid, SESSION, ids, false);
        assertThat(txn.acl()).containsExactly(new Acl(Perms.ALL, alice));
        // and another connection is now refused by the pending node's ACL
        assertThat(err(validate(OpCode.SET_DATA, new SetDataRequest("/open/mine", null, -1)))).isEqualTo(NO_AUTH);
        assertThat(err(validator.validate(OpCode.SET_DATA, new SetDataRequest("/open/mine", null, -1), ++zxid,
                SESSION, ids, false))).isEqualTo(OK);
    }

    @Test
    void skipAclAllowsEverything() {
        WriteValidator skipping = new WriteValidator(pending, true, new AccessControl(true, null), false, false,
                new QuotaCheck(tree, true));
        assertThat(err(skipping.validate(OpCode.SET_DATA, new SetDataRequest("/ro", null, -1), ++zxid, SESSION, IDS,
                false))).isEqualTo(OK);
    }

    @Test
    void reconfigIsDisabledAndUnknownTypesAreUnimplemented() {
        assertThat(err(validate(OpCode.RECONFIG, new ReconfigRequest(null, null, null, -1))))
                .isEqualTo(RECONFIG_DISABLED);
        assertThat(err(validate(OpCode.GET_DATA, new PathWatchRequest("/", false)))).isEqualTo(UNIMPLEMENTED);
    }

    // --- multi -----------------------------------------------------------------------------------------------------

    private Txn multi(MultiOp... ops) {
        return validate(OpCode.MULTI, new MultiRequest(List.of(ops)));
    }

    private static List<Integer> results(Txn txn) {
        List<Integer> codes = new ArrayList<>();
        for (Txn op : ((Txn.Multi) txn).ops()) {
            codes.add(err(op));
        }
        return codes;
    }

    @Test
    void failedMultiReportsOkForEarlierOpsItsOwnErrorThenRuntimeInconsistency() {
        Txn txn = multi(
                new MultiOp(OpCode.CREATE, create("/open/m", 0)),
                new MultiOp(OpCode.SET_DATA, new SetDataRequest("/open", null, 0)),
                new MultiOp(OpCode.CHECK, new CheckVersionRequest("/open", 99)),
                new MultiOp(OpCode.DELETE, new DeleteRequest("/open/zz", -1)),
                new MultiOp(OpCode.CREATE, create("/open/m", 0)));
        assertThat(((Txn.Multi) txn).failed()).isTrue();
        assertThat(((Txn.Multi) txn).ops()).allMatch(op -> op instanceof Txn.Error);
        assertThat(results(txn)).containsExactly(OK, OK, BAD_VERSION, RUNTIME_INCONSISTENCY, RUNTIME_INCONSISTENCY);
    }

    @Test
    void failedMultiRollsBackSoALaterWriteSeesTheTreeUnchanged() {
        Txn failed = multi(
                new MultiOp(OpCode.CREATE, create("/open/m", 0)),
                new MultiOp(OpCode.CREATE, create("/open/s-", 2)),
                new MultiOp(OpCode.SET_DATA, new SetDataRequest("/open", null, 0)),
                new MultiOp(OpCode.DELETE, new DeleteRequest("/open/child", -1)),
                new MultiOp(OpCode.SET_DATA, new SetDataRequest("/missing", null, -1)));
        assertThat(results(failed)).containsExactly(OK, OK, OK, OK, NO_NODE);
        assertThat(pending.isEmpty()).isTrue();

        // every effect of the failed multi is gone
        assertThat(err(validate(OpCode.CREATE, create("/open/m", 0)))).isEqualTo(OK);
        assertThat(err(validate(OpCode.SET_DATA, new SetDataRequest("/open", null, 0)))).isEqualTo(OK);
        assertThat(err(validate(OpCode.DELETE, new DeleteRequest("/open/child", 0)))).isEqualTo(OK);
        // the sequence counter did not move either: /open had 1 creation, plus /open/m
        assertThat(((Txn.Create) validate(OpCode.CREATE, create("/open/s-", 2))).path())
                .isEqualTo("/open/s-0000000002");
    }

    @Test
    void failedMultiAfterEarlierPendingWritesKeepsThem() {
        assertThat(err(validate(OpCode.CREATE, create("/open/before", 0)))).isEqualTo(OK);
        Txn failed = multi(
                new MultiOp(OpCode.CHECK, new CheckVersionRequest("/open/before", 0)),
                new MultiOp(OpCode.DELETE, new DeleteRequest("/open/before", -1)),
                new MultiOp(OpCode.CHECK, new CheckVersionRequest("/open/before", -1)));
        assertThat(results(failed)).as("the multi's own delete is visible to its later ops")
                .containsExactly(OK, OK, NO_NODE);
        assertThat(pending.lookup("/open/before")).as("the earlier create is still pending").isNotNull();
        assertThat(pending.lookup("/open").numChildren()).isEqualTo(2);
    }

    @Test
    void successfulMultiOpsSeeEachOther() {
        Txn txn = multi(
                new MultiOp(OpCode.CREATE, create("/open/m", 0)),
                new MultiOp(OpCode.CREATE2, create("/open/m/s-", 2)),
                new MultiOp(OpCode.CREATE2, create("/open/m/s-", 2)),
                new MultiOp(OpCode.CHECK, new CheckVersionRequest("/open/m", 0)),
                new MultiOp(OpCode.SET_DATA, new SetDataRequest("/open/m", null, 0)),
                new MultiOp(OpCode.CREATE, create("/open/tmp", 0)),
                new MultiOp(OpCode.DELETE, new DeleteRequest("/open/tmp", 0)));
        Txn.Multi multi = (Txn.Multi) txn;
        assertThat(multi.failed()).isFalse();
        assertThat(multi.ops()).hasSize(7);
        assertThat(((Txn.Create) multi.ops().get(1)).path()).isEqualTo("/open/m/s-0000000000");
        assertThat(((Txn.Create) multi.ops().get(2)).path()).isEqualTo("/open/m/s-0000000001");
        assertThat(multi.ops().get(3)).isEqualTo(new Txn.Check("/open/m"));
        assertThat(((Txn.SetData) multi.ops().get(4)).version()).isEqualTo(1);
        assertThat(multi.ops().get(6)).isEqualTo(new Txn.Delete("/open/tmp"));
        assertThat(pending.lookup("/open/tmp")).isNull();
        assertThat(pending.lookup("/open/m").numChildren()).isEqualTo(2);
    }

    @Test
    void checkInsideMultiFollowsItsOwnOrder() {
        assertThat(results(multi(new MultiOp(OpCode.CHECK, new CheckVersionRequest("/open/", 99)))))
                .containsExactly(BAD_ARGUMENTS);
        assertThat(results(multi(new MultiOp(OpCode.CHECK, new CheckVersionRequest("/missing", 99)))))
                .containsExactly(NO_NODE);
        node("/secret", List.of(new Acl(Perms.WRITE, Id.ANYONE)), 0);
        assertThat(results(multi(new MultiOp(OpCode.CHECK, new CheckVersionRequest("/secret", 99)))))
                .containsExactly(NO_AUTH);
        assertThat(results(multi(new MultiOp(OpCode.CHECK, new CheckVersionRequest("/open", 99)))))
                .containsExactly(BAD_VERSION);
    }

    @Test
    void aReadOpOrAnInvalidFlagFailsTheWholeMultiAsMarshallingError() {
        Txn withRead = multi(new MultiOp(OpCode.CREATE, create("/open/m", 0)),
                new MultiOp(OpCode.GET_DATA, new PathWatchRequest("/open", false)));
        assertThat(withRead).isEqualTo(new Txn.Error(MARSHALLING_ERROR));
        Txn badFlag = multi(new MultiOp(OpCode.CREATE, create("/open/m", 0)),
                new MultiOp(OpCode.CREATE, create("/open/n", 7)));
        assertThat(badFlag).isEqualTo(new Txn.Error(MARSHALLING_ERROR));
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void emptyMultiSucceeds() {
        assertThat(multi()).isEqualTo(new Txn.Multi(List.of(), false));
    }

    // --- closeSession ----------------------------------------------------------------------------------------------

    @Test
    void closeSessionDeletesTheSessionsEphemeralsAsOfEveryPendingChange() {
        node("/eph2", Acl.OPEN_ACL_UNSAFE, SESSION);
        node("/other", Acl.OPEN_ACL_UNSAFE, SESSION + 1);
        // pending: a new ephemeral, and the delete of /eph2
        assertThat(err(validate(OpCode.CREATE, create("/open/e-new", 1)))).isEqualTo(OK);
        assertThat(err(validate(OpCode.DELETE, new DeleteRequest("/eph2", -1)))).isEqualTo(OK);

        Txn.CloseSession close = (Txn.CloseSession) validator.closeSession(SESSION, ++zxid,
                tree.ephemeralsOf(SESSION));
        assertThat(close.ephemeralsToDelete()).containsExactly("/eph", "/open/e-new");
        assertThat(pending.lookup("/eph")).isNull();
        assertThat(pending.lookup("/open/e-new")).isNull();
        assertThat(pending.lookup("/other")).isNotNull();
        // a create under the parent now finds the names free again
        assertThat(err(validate(OpCode.CREATE, create("/open/e-new", 0)))).isEqualTo(OK);
    }
}
