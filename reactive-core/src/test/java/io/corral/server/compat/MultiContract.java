package io.corral.server.compat;

import static io.corral.server.compat.KeeperAssertions.assertKeeperError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.OpResult.CheckResult;
import org.apache.zookeeper.OpResult.CreateResult;
import org.apache.zookeeper.OpResult.DeleteResult;
import org.apache.zookeeper.OpResult.ErrorResult;
import org.apache.zookeeper.OpResult.GetChildrenResult;
import org.apache.zookeeper.OpResult.GetDataResult;
import org.apache.zookeeper.OpResult.SetDataResult;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/** multi (14) and multiRead (22): results, atomicity, per-op errors (ZK_WIRE.md §6.8). */
public abstract class MultiContract extends AbstractCompatContract {

    private static final byte[] DATA = "data".getBytes(StandardCharsets.UTF_8);

    @Test
    void successfulMultiReturnsOneResultPerOpAndSharesOneZxid() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/multi-ok", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/multi-ok/old", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        List<OpResult> results = zk.multi(List.of(
                Op.create("/multi-ok/a", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.setData("/multi-ok/a", "new".getBytes(StandardCharsets.UTF_8), 0),
                Op.check("/multi-ok/a", 1),
                Op.delete("/multi-ok/old", 0),
                Op.create("/multi-ok/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)));

        assertThat(results).hasSize(5);
        assertThat(results.get(0)).isInstanceOfSatisfying(CreateResult.class, r -> {
            assertThat(r.getType()).isEqualTo(OpCode.create);
            assertThat(r.getPath()).isEqualTo("/multi-ok/a");
            assertThat(r.getStat()).isNull();
        });
        SetDataResult set = (SetDataResult) results.get(1);
        assertThat(set.getType()).isEqualTo(OpCode.setData);
        assertThat(set.getStat().getVersion()).isEqualTo(1);
        assertThat(set.getStat().getDataLength()).isEqualTo(3);
        assertThat(set.getStat().getMzxid()).isEqualTo(set.getStat().getCzxid()); // same transaction
        assertThat(results.get(2)).isInstanceOf(CheckResult.class);
        assertThat(results.get(2).getType()).isEqualTo(OpCode.check);
        assertThat(results.get(3)).isInstanceOf(DeleteResult.class);
        assertThat(results.get(3).getType()).isEqualTo(OpCode.delete);
        assertThat(((CreateResult) results.get(4)).getPath()).isEqualTo("/multi-ok/b");

        Stat a = zk.exists("/multi-ok/a", false);
        Stat b = zk.exists("/multi-ok/b", false);
        assertThat(a.getCzxid()).isEqualTo(b.getCzxid());
        assertThat(zk.exists("/multi-ok/old", false)).isNull();
        Stat parent = zk.exists("/multi-ok", false);
        assertThat(parent.getPzxid()).isEqualTo(a.getCzxid());
        assertThat(parent.getNumChildren()).isEqualTo(2);
        assertThat(zk.getData("/multi-ok/a", false, null)).isEqualTo("new".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void containerAndTtlCreatesInsideMultiAreAnsweredAsCreate2WithStat() throws Exception {
        ZooKeeper zk = connect();
        List<OpResult> results = zk.multi(List.of(
                Op.create("/multi-c2", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.create("/multi-c2/container", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER),
                Op.create("/multi-c2/ttl", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 60_000L)));
        CreateResult plain = (CreateResult) results.get(0);
        assertThat(plain.getType()).isEqualTo(OpCode.create);
        assertThat(plain.getStat()).isNull();
        CreateResult container = (CreateResult) results.get(1);
        assertThat(container.getType()).isEqualTo(OpCode.create2);
        assertThat(container.getPath()).isEqualTo("/multi-c2/container");
        assertThat(container.getStat()).isEqualTo(zk.exists("/multi-c2/container", false));
        assertThat(container.getStat().getEphemeralOwner()).isZero();
        CreateResult ttl = (CreateResult) results.get(2);
        assertThat(ttl.getType()).isEqualTo(OpCode.create2);
        assertThat(ttl.getPath()).isEqualTo("/multi-c2/ttl");
        assertThat(ttl.getStat().getEphemeralOwner()).isZero();
        assertThat(ttl.getStat().getCzxid()).isEqualTo(container.getStat().getCzxid());
        assertThat(ttl.getStat().getDataLength()).isEqualTo(DATA.length);
    }

    @Test
    void sequentialCreatesInsideOneMultiGetConsecutiveSuffixes() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/multi-seq", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/multi-seq/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.delete("/multi-seq/x", -1);
        List<OpResult> results = zk.multi(List.of(
                Op.create("/multi-seq/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL),
                Op.create("/multi-seq/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL),
                Op.create("/multi-seq/t-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL)));
        assertThat(results).extracting(r -> ((CreateResult) r).getPath()).containsExactly(
                "/multi-seq/s-0000000001", "/multi-seq/s-0000000002", "/multi-seq/t-0000000003");
    }

    @Test
    void opsInsideAMultiSeeEachOthersEffects() throws Exception {
        ZooKeeper zk = connect();
        List<OpResult> results = zk.multi(List.of(
                Op.create("/multi-seq-fx", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.create("/multi-seq-fx/tmp", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.delete("/multi-seq-fx/tmp", 0),
                Op.check("/multi-seq-fx", 0)));
        assertThat(results).hasSize(4);
        Stat parent = zk.exists("/multi-seq-fx", false);
        assertThat(parent.getNumChildren()).isZero();
        assertThat(parent.getCversion()).isEqualTo(2);
        assertThat(parent.getPzxid()).isEqualTo(parent.getCzxid());
    }

    @Test
    void failedMultiIsAtomicAndReportsZeroOwnCodeThenRuntimeInconsistency() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/multi-fail", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/multi-fail/zz", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Stat before = zk.exists("/multi-fail", false);

        KeeperException e = assertKeeperError(Code.BADVERSION, () -> zk.multi(List.of(
                Op.create("/multi-fail/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.setData("/multi-fail", DATA, 0),
                Op.check("/multi-fail", 99),
                Op.delete("/multi-fail/zz", -1))));

        List<OpResult> results = e.getResults();
        assertThat(results).hasSize(4).allSatisfy(r -> assertThat(r).isInstanceOf(ErrorResult.class));
        assertThat(results).extracting(r -> ((ErrorResult) r).getErr()).containsExactly(
                Code.OK.intValue(), Code.OK.intValue(), Code.BADVERSION.intValue(),
                Code.RUNTIMEINCONSISTENCY.intValue());
        assertThat(results).extracting(OpResult::getType).containsOnly(OpCode.error);

        // nothing was applied
        assertThat(zk.exists("/multi-fail/b", false)).isNull();
        assertThat(zk.exists("/multi-fail/zz", false)).isNotNull();
        Stat after = zk.exists("/multi-fail", false);
        assertThat(after.getVersion()).isEqualTo(before.getVersion());
        assertThat(after.getMzxid()).isEqualTo(before.getMzxid());
        assertThat(after.getPzxid()).isEqualTo(before.getPzxid());
        assertThat(after.getCversion()).isEqualTo(before.getCversion());
    }

    @Test
    void failedMultiDoesNotConsumeSequenceNumbers() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/multi-fail-seq", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertKeeperError(Code.NONODE, () -> zk.multi(List.of(
                Op.create("/multi-fail-seq/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL),
                Op.delete("/multi-fail-seq/missing", -1))));
        assertThat(zk.create("/multi-fail-seq/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))
                .isEqualTo("/multi-fail-seq/s-0000000000");
    }

    @Test
    void firstOpFailingMarksAllOthersRuntimeInconsistency() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/multi-first", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        KeeperException e = assertKeeperError(Code.NODEEXISTS, () -> zk.multi(List.of(
                Op.create("/multi-first", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.create("/multi-first/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.setData("/multi-first", DATA, -1))));
        assertThat(e.getResults()).extracting(r -> ((ErrorResult) r).getErr()).containsExactly(
                Code.NODEEXISTS.intValue(), Code.RUNTIMEINCONSISTENCY.intValue(),
                Code.RUNTIMEINCONSISTENCY.intValue());
        assertThat(zk.exists("/multi-first/x", false)).isNull();
        assertThat(zk.exists("/multi-first", false).getVersion()).isZero();
    }

    @Test
    void errorsInsideMultiFollowTheSingleOpRules() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/multi-errs", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/multi-errs/kid", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/multi-errs-ro", null, Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/multi-errs-eph", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

        assertKeeperError(Code.NOTEMPTY, () -> zk.multi(List.of(Op.delete("/multi-errs", -1))));
        assertKeeperError(Code.NONODE, () -> zk.multi(List.of(Op.check("/multi-errs/missing", -1))));
        assertKeeperError(Code.NOAUTH, () -> zk.multi(List.of(Op.setData("/multi-errs-ro", DATA, -1))));
        assertKeeperError(Code.NOCHILDRENFOREPHEMERALS, () -> zk.multi(List.of(
                Op.create("/multi-errs-eph/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))));
        assertKeeperError(Code.BADARGUMENTS, () -> zk.multi(List.of(Op.delete("/zookeeper", -1))));
    }

    @Test
    void emptyMultiSucceedsWithNoResults() throws Exception {
        ZooKeeper zk = connect();
        assertThat(zk.multi(List.of())).isEmpty();
    }

    @Test
    void multiReadMixesSuccessesAndPerOpFailures() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/multi-read", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/multi-read/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/multi-read/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        List<OpResult> results = zk.multi(List.of(
                Op.getData("/multi-read"),
                Op.getData("/multi-read/missing"),
                Op.getChildren("/multi-read"),
                Op.getChildren("/multi-read/missing"),
                Op.getData("/multi-read/a")));

        assertThat(results).hasSize(5);
        GetDataResult data = (GetDataResult) results.get(0);
        assertThat(data.getType()).isEqualTo(OpCode.getData);
        assertThat(data.getData()).isEqualTo(DATA);
        assertThat(data.getStat()).isEqualTo(zk.exists("/multi-read", false));
        assertThat(results.get(1)).isInstanceOfSatisfying(ErrorResult.class, r -> {
            assertThat(r.getErr()).isEqualTo(Code.NONODE.intValue());
            assertThat(r.getType()).isEqualTo(OpCode.error);
        });
        GetChildrenResult kids = (GetChildrenResult) results.get(2);
        assertThat(kids.getType()).isEqualTo(OpCode.getChildren);
        assertThat(kids.getChildren()).containsExactlyInAnyOrder("a", "b");
        assertThat(((ErrorResult) results.get(3)).getErr()).isEqualTo(Code.NONODE.intValue());
        assertThat(((GetDataResult) results.get(4)).getData()).isNull();
    }

    @Test
    void multiReadReportsNoAuthPerOp() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/multi-read-noauth", DATA, KeeperAssertions.acls(KeeperAssertions.acl(
                org.apache.zookeeper.ZooDefs.Perms.WRITE, "world", "anyone")), CreateMode.PERSISTENT);
        zk.create("/multi-read-ok", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        List<OpResult> results = zk.multi(List.of(
                Op.getData("/multi-read-noauth"),
                Op.getChildren("/multi-read-noauth"),
                Op.getData("/multi-read-ok")));
        assertThat(((ErrorResult) results.get(0)).getErr()).isEqualTo(Code.NOAUTH.intValue());
        assertThat(((ErrorResult) results.get(1)).getErr()).isEqualTo(Code.NOAUTH.intValue());
        assertThat(((GetDataResult) results.get(2)).getData()).isEqualTo(DATA);
    }

    @Test
    void transactionBuilderCommitsAtomically() throws Exception {
        ZooKeeper zk = connect();
        List<OpResult> results = zk.transaction()
                .create("/multi-tx", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)
                .create("/multi-tx/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)
                .setData("/multi-tx", DATA, 0)
                .check("/multi-tx/child", 0)
                .commit();
        assertThat(results).hasSize(4);
        assertThat(zk.exists("/multi-tx", false).getVersion()).isEqualTo(1);

        KeeperException e = assertKeeperError(Code.BADVERSION, () -> zk.transaction()
                .delete("/multi-tx/child", 0)
                .delete("/multi-tx", 0)
                .commit());
        assertThat(e.getResults()).extracting(r -> ((ErrorResult) r).getErr())
                .containsExactly(Code.OK.intValue(), Code.BADVERSION.intValue());
        assertThat(zk.exists("/multi-tx/child", false)).isNotNull();
    }

    @Test
    void asyncMultiReportsResultsThroughTheCallback() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/multi-async", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        java.util.concurrent.CompletableFuture<Integer> rcFuture = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<List<OpResult>> resFuture =
                new java.util.concurrent.CompletableFuture<>();
        zk.multi(List.of(
                Op.create("/multi-async/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.check("/multi-async", 5)), (rc, path, ctx, opResults) -> {
                    rcFuture.complete(rc);
                    resFuture.complete(opResults);
                }, null);
        assertThat(rcFuture.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(Code.BADVERSION.intValue());
        assertThat(resFuture.get()).extracting(r -> ((ErrorResult) r).getErr())
                .containsExactly(Code.OK.intValue(), Code.BADVERSION.intValue());
    }
}
