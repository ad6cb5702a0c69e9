package io.corral.server.compat;

import static io.corral.server.compat.KeeperAssertions.acl;
import static io.corral.server.compat.KeeperAssertions.acls;
import static io.corral.server.compat.KeeperAssertions.assertKeeperError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/**
 * Create/read/update/delete semantics, Stat maintenance, sequential names, node modes and error codes (ZK_WIRE.md
 * §5, §7.1–§7.6). The shared server runs a container/TTL reaper every 100 ms.
 */
public abstract class CrudContract extends AbstractCompatContract {

    private static final byte[] DATA = "data".getBytes(StandardCharsets.UTF_8);

    @Override
    protected Map<String, String> serverConfig() {
        return Map.of("znode.container.checkIntervalMs", "100");
    }

    // ---------------------------------------------------------------- create modes and the Stat after create

    @Test
    void create2ReturnsStatOfTheNewPersistentNode() throws Exception {
        ZooKeeper zk = connect();
        Stat stat = new Stat();
        String path = zk.create("/crud-create2", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, stat);

        assertThat(path).isEqualTo("/crud-create2");
        assertThat(stat.getCzxid()).isPositive();
        assertThat(stat.getMzxid()).isEqualTo(stat.getCzxid());
        assertThat(stat.getPzxid()).isEqualTo(stat.getCzxid());
        assertThat(stat.getCtime()).isPositive().isEqualTo(stat.getMtime());
        assertThat(stat.getVersion()).isZero();
        assertThat(stat.getCversion()).isZero();
        assertThat(stat.getAversion()).isZero();
        assertThat(stat.getEphemeralOwner()).isZero();
        assertThat(stat.getDataLength()).isEqualTo(DATA.length);
        assertThat(stat.getNumChildren()).isZero();

        assertThat(zk.exists(path, false)).isEqualTo(stat);
        Stat readStat = new Stat();
        assertThat(zk.getData(path, false, readStat)).isEqualTo(DATA);
        assertThat(readStat).isEqualTo(stat);
    }

    @Test
    void createWithoutStatReturnsPathAndEachWriteGetsAHigherZxid() throws Exception {
        ZooKeeper zk = connect();
        assertThat(zk.create("/crud-plain-a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
                .isEqualTo("/crud-plain-a");
        assertThat(zk.create("/crud-plain-b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
                .isEqualTo("/crud-plain-b");
        assertThat(zk.exists("/crud-plain-b", false).getCzxid())
                .isGreaterThan(zk.exists("/crud-plain-a", false).getCzxid());
    }

    @Test
    void ephemeralNodeIsOwnedByTheSession() throws Exception {
        ZooKeeper zk = connect();
        Stat stat = new Stat();
        zk.create("/crud-eph", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, stat);
        assertThat(stat.getEphemeralOwner()).isEqualTo(zk.getSessionId());
        assertThat(zk.exists("/crud-eph", false).getEphemeralOwner()).isEqualTo(zk.getSessionId());
    }

    @Test
    void persistentSequentialSuffixComesFromTheParentsChildCounterAndIsNeverReused() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-seq", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        String first = zk.create("/crud-seq/n-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
        String second = zk.create("/crud-seq/n-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
        assertThat(first).isEqualTo("/crud-seq/n-0000000000");
        assertThat(second).isEqualTo("/crud-seq/n-0000000001");

        zk.delete(second, -1);
        zk.create("/crud-seq/plain", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        // three children were ever created (deletes do not lower the counter): next suffix is 3
        assertThat(zk.create("/crud-seq/n-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))
                .isEqualTo("/crud-seq/n-0000000003");
        // a different prefix shares the same counter
        assertThat(zk.create("/crud-seq/other", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))
                .isEqualTo("/crud-seq/other0000000004");
    }

    @Test
    void sequentialCreateWithTrailingSlashAppendsTheBareSuffix() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-seqslash", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(zk.create("/crud-seqslash/", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))
                .isEqualTo("/crud-seqslash/0000000000");
    }

    @Test
    void ephemeralSequentialIsBothSequentialAndOwned() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-eseq", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Stat stat = new Stat();
        String path = zk.create("/crud-eseq/e-", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL, stat);
        assertThat(path).isEqualTo("/crud-eseq/e-0000000000");
        assertThat(stat.getEphemeralOwner()).isEqualTo(zk.getSessionId());
    }

    @Test
    void containerCreatedThroughCreate2IsNotEphemeralMayHaveChildrenAndIsReapedWhenEmptied() throws Exception {
        ZooKeeper zk = connect();
        Stat stat = new Stat();
        assertThat(zk.create("/crud-container", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER, stat))
                .isEqualTo("/crud-container");
        assertThat(stat.getEphemeralOwner()).isZero();
        assertThat(stat.getCzxid()).isPositive();

        zk.create("/crud-container/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.delete("/crud-container/child", -1);
        await().atMost(Duration.ofSeconds(10)).until(() -> zk.exists("/crud-container", false) == null);
    }

    @Test
    void neverUsedContainerIsKept() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-container-unused", null, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
        // wait well past several reaper runs by watching a TTL node with a tiny ttl disappear
        zk.create("/crud-container-probe", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, null, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> zk.exists("/crud-container-probe", false) == null);
        assertThat(zk.exists("/crud-container-unused", false)).isNotNull();
    }

    @Test
    void ttlNodesHaveNoEphemeralOwnerAndSequentialTtlGetsASuffix() throws Exception {
        ZooKeeper zk = connect();
        Stat stat = new Stat();
        zk.create("/crud-ttl", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, stat, 3_600_000);
        assertThat(stat.getEphemeralOwner()).isZero();
        assertThat(stat.getDataLength()).isEqualTo(DATA.length);

        Stat seqStat = new Stat();
        String seq = zk.create("/crud-ttl/s-", null, Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, seqStat, 3_600_000);
        assertThat(seq).isEqualTo("/crud-ttl/s-0000000000");
        assertThat(seqStat.getEphemeralOwner()).isZero();
        assertThat(zk.exists("/crud-ttl", false).getNumChildren()).isEqualTo(1);
    }

    @Test
    void expiredTtlNodeWithoutChildrenIsReaped() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-ttl-short", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, null, 50);
        await().atMost(Duration.ofSeconds(10)).until(() -> zk.exists("/crud-ttl-short", false) == null);
    }

    // ---------------------------------------------------------------- Stat maintenance

    @Test
    void setDataChangesMzxidVersionAndLengthOnly() throws Exception {
        ZooKeeper zk = connect();
        Stat created = new Stat();
        zk.create("/crud-set", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);

        Stat afterSet = zk.setData("/crud-set", "longer-data".getBytes(StandardCharsets.UTF_8), 0);
        assertThat(afterSet.getCzxid()).isEqualTo(created.getCzxid());
        assertThat(afterSet.getMzxid()).isGreaterThan(created.getCzxid());
        assertThat(afterSet.getPzxid()).isEqualTo(created.getPzxid());
        assertThat(afterSet.getCtime()).isEqualTo(created.getCtime());
        assertThat(afterSet.getMtime()).isGreaterThanOrEqualTo(created.getMtime());
        assertThat(afterSet.getVersion()).isEqualTo(1);
        assertThat(afterSet.getCversion()).isZero();
        assertThat(afterSet.getAversion()).isZero();
        assertThat(afterSet.getDataLength()).isEqualTo("longer-data".length());
        assertThat(zk.exists("/crud-set", false)).isEqualTo(afterSet);

        // identical data still bumps the version
        Stat again = zk.setData("/crud-set", "longer-data".getBytes(StandardCharsets.UTF_8), -1);
        assertThat(again.getVersion()).isEqualTo(2);
        assertThat(again.getMzxid()).isGreaterThan(afterSet.getMzxid());
    }

    @Test
    void setAclChangesOnlyAversion() throws Exception {
        ZooKeeper zk = connect();
        Stat created = new Stat();
        zk.create("/crud-setacl", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);
        Stat afterAcl = zk.setACL("/crud-setacl", Ids.READ_ACL_UNSAFE, 0);
        assertThat(afterAcl.getAversion()).isEqualTo(1);
        assertThat(afterAcl.getMzxid()).isEqualTo(created.getMzxid());
        assertThat(afterAcl.getMtime()).isEqualTo(created.getMtime());
        assertThat(afterAcl.getPzxid()).isEqualTo(created.getPzxid());
        assertThat(afterAcl.getVersion()).isZero();
        assertThat(afterAcl.getCversion()).isZero();
        assertThat(zk.getACL("/crud-setacl", new Stat())).isEqualTo(Ids.READ_ACL_UNSAFE);
    }

    @Test
    void childCreateAndDeleteMaintainParentPzxidCversionAndNumChildren() throws Exception {
        ZooKeeper zk = connect();
        Stat parent0 = new Stat();
        zk.create("/crud-parent", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, parent0);

        Stat child = new Stat();
        zk.create("/crud-parent/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, child);
        Stat parent1 = zk.exists("/crud-parent", false);
        assertThat(parent1.getPzxid()).isEqualTo(child.getCzxid());
        assertThat(parent1.getCversion()).isEqualTo(1);
        assertThat(parent1.getNumChildren()).isEqualTo(1);
        assertThat(parent1.getMzxid()).isEqualTo(parent0.getMzxid());
        assertThat(parent1.getVersion()).isZero();

        zk.delete("/crud-parent/c", -1);
        Stat parent2 = zk.exists("/crud-parent", false);
        assertThat(parent2.getPzxid()).isGreaterThan(child.getCzxid());
        assertThat(parent2.getCversion()).isEqualTo(2);
        assertThat(parent2.getNumChildren()).isZero();
        assertThat(parent2.getMzxid()).isEqualTo(parent0.getMzxid());
    }

    @Test
    void cversionIsTwiceTheCreationsMinusTheCurrentChildren() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-cv", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (int i = 0; i < 4; i++) {
            zk.create("/crud-cv/c" + i, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        zk.delete("/crud-cv/c2", -1);
        Stat parent = zk.exists("/crud-cv", false);
        assertThat(parent.getNumChildren()).isEqualTo(3);
        assertThat(parent.getCversion()).isEqualTo(2 * 4 - 3);

        Stat children2 = new Stat();
        assertThat(zk.getChildren("/crud-cv", false, children2)).containsExactlyInAnyOrder("c0", "c1", "c3");
        assertThat(children2).isEqualTo(parent);
    }

    @Test
    void nullDataAndEmptyDataAreDistinguished() throws Exception {
        ZooKeeper zk = connect();
        Stat nullStat = new Stat();
        zk.create("/crud-null", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, nullStat);
        assertThat(nullStat.getDataLength()).isZero();
        assertThat(zk.getData("/crud-null", false, null)).isNull();

        zk.create("/crud-empty", new byte[0], Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(zk.getData("/crud-empty", false, null)).isNotNull().isEmpty();
        assertThat(zk.exists("/crud-empty", false).getDataLength()).isZero();

        Stat afterSet = zk.setData("/crud-empty", null, -1);
        assertThat(afterSet.getDataLength()).isZero();
        assertThat(zk.getData("/crud-empty", false, null)).isNull();
    }

    // ---------------------------------------------------------------- reads and misc operations

    @Test
    void existsOnMissingNodeReturnsNull() throws Exception {
        ZooKeeper zk = connect();
        assertThat(zk.exists("/crud-missing", false)).isNull();
        assertThat(zk.exists("/crud-missing/deeper", false)).isNull();
    }

    @Test
    void deleteWithVersion() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-delv", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setData("/crud-delv", DATA, -1);
        assertKeeperError(Code.BADVERSION, () -> zk.delete("/crud-delv", 0));
        zk.delete("/crud-delv", 1);
        assertThat(zk.exists("/crud-delv", false)).isNull();

        zk.create("/crud-delv", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.delete("/crud-delv", -1);
        assertThat(zk.exists("/crud-delv", false)).isNull();
    }

    @Test
    void getChildrenAndGetChildren2() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-kids", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(zk.getChildren("/crud-kids", false)).isEmpty();
        for (String c : List.of("b", "a", "c")) {
            zk.create("/crud-kids/" + c, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        zk.create("/crud-kids/a/grandchild", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(zk.getChildren("/crud-kids", false)).containsExactlyInAnyOrder("a", "b", "c");
        Stat stat = new Stat();
        assertThat(zk.getChildren("/crud-kids", false, stat)).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(stat.getNumChildren()).isEqualTo(3);
        assertThat(stat).isEqualTo(zk.exists("/crud-kids", false));
        assertKeeperError(Code.NONODE, () -> zk.getChildren("/crud-kids/missing", false));
    }

    @Test
    void getAllChildrenNumberCountsAllDescendants() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-count", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(zk.getAllChildrenNumber("/crud-count")).isZero();
        zk.create("/crud-count/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/crud-count/a/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/crud-count/a/b/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/crud-count/d", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        assertThat(zk.getAllChildrenNumber("/crud-count")).isEqualTo(4);
        assertThat(zk.getAllChildrenNumber("/crud-count/a")).isEqualTo(2);
        assertKeeperError(Code.NONODE, () -> zk.getAllChildrenNumber("/crud-count/missing"));
    }

    @Test
    void getEphemeralsListsOnlyTheCallersEphemeralsWithPlainStringPrefixMatching() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper other = connect();
        zk.create("/crud-ephs", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/crud-ephs/a1", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.create("/crud-ephs/a2", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.create("/crud-ephs/b1", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.create("/crud-ephs/persistent", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        other.create("/crud-ephs/a3", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

        assertThat(zk.getEphemerals())
                .containsExactlyInAnyOrder("/crud-ephs/a1", "/crud-ephs/a2", "/crud-ephs/b1");
        assertThat(zk.getEphemerals("/")).containsExactlyInAnyOrder("/crud-ephs/a1", "/crud-ephs/a2",
                "/crud-ephs/b1");
        assertThat(zk.getEphemerals("/crud-ephs/a")).containsExactlyInAnyOrder("/crud-ephs/a1", "/crud-ephs/a2");
        assertThat(zk.getEphemerals("/crud-eph")).hasSize(3); // not segment-aware
        assertThat(zk.getEphemerals("/crud-nothing")).isEmpty();
        assertThat(other.getEphemerals()).containsExactly("/crud-ephs/a3");
    }

    @Test
    void syncSucceedsSynchronouslyAndEchoesThePathAsynchronously() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-sync", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.sync("/crud-sync");

        java.util.concurrent.CompletableFuture<String> done = new java.util.concurrent.CompletableFuture<>();
        zk.sync("/crud-sync", (rc, path, ctx) -> {
            if (rc == 0) {
                done.complete(path);
            } else {
                done.completeExceptionally(new AssertionError("rc " + rc));
            }
        }, null);
        assertThat(done.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("/crud-sync");
    }

    @Test
    void whoAmIReportsTheIpAndThenTheDigestUser() throws Exception {
        ZooKeeper zk = connect();
        assertThat(infos(zk.whoAmI())).containsExactly("ip:127.0.0.1");
        zk.addAuthInfo("digest", "alice:pw".getBytes(StandardCharsets.UTF_8));
        assertThat(infos(zk.whoAmI())).containsExactlyInAnyOrder("ip:127.0.0.1", "digest:alice");
        zk.addAuthInfo("digest", "bob:pw2".getBytes(StandardCharsets.UTF_8));
        assertThat(infos(zk.whoAmI())).containsExactlyInAnyOrder("ip:127.0.0.1", "digest:alice", "digest:bob");
    }

    @Test
    void whoAmIOfTheSuperUser() throws Exception {
        ZooKeeper zk = connect();
        zk.addAuthInfo("digest", CompatHarness.SUPER_USER_PASSWORD.getBytes(StandardCharsets.UTF_8));
        assertThat(infos(zk.whoAmI())).containsExactlyInAnyOrder("ip:127.0.0.1", "digest:super", "super:");
    }

    private static List<String> infos(List<ClientInfo> infos) {
        return infos.stream().map(i -> i.getAuthScheme() + ":" + i.getUser()).collect(Collectors.toList());
    }

    // ---------------------------------------------------------------- error codes

    @Test
    void noNodeErrors() throws Exception {
        ZooKeeper zk = connect();
        assertKeeperError(Code.NONODE,
                () -> zk.create("/crud-nonode/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        assertKeeperError(Code.NONODE, () -> zk.getData("/crud-nonode", false, null));
        assertKeeperError(Code.NONODE, () -> zk.setData("/crud-nonode", DATA, -1));
        assertKeeperError(Code.NONODE, () -> zk.delete("/crud-nonode", -1));
        assertKeeperError(Code.NONODE, () -> zk.getACL("/crud-nonode", null));
        assertKeeperError(Code.NONODE, () -> zk.setACL("/crud-nonode", Ids.OPEN_ACL_UNSAFE, -1));
        assertKeeperError(Code.NONODE, () -> zk.getChildren("/crud-nonode", false, null));
    }

    @Test
    void nodeExists() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-exists", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertKeeperError(Code.NODEEXISTS,
                () -> zk.create("/crud-exists", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        assertKeeperError(Code.NODEEXISTS,
                () -> zk.create("/crud-exists", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL));
        assertKeeperError(Code.NODEEXISTS,
                () -> zk.create("/zookeeper", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
    }

    @Test
    void badVersionOnSetDataDeleteAndSetAcl() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-badv", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertKeeperError(Code.BADVERSION, () -> zk.setData("/crud-badv", DATA, 1));
        assertKeeperError(Code.BADVERSION, () -> zk.delete("/crud-badv", 5));
        assertKeeperError(Code.BADVERSION, () -> zk.setACL("/crud-badv", Ids.OPEN_ACL_UNSAFE, 1));
        assertThat(zk.setData("/crud-badv", DATA, 0).getVersion()).isEqualTo(1);
        assertThat(zk.setACL("/crud-badv", Ids.OPEN_ACL_UNSAFE, 0).getAversion()).isEqualTo(1);
    }

    @Test
    void failedWritesConsumeAZxid() throws Exception {
        ZooKeeper zk = connect();
        Stat first = new Stat();
        zk.create("/crud-zxid-a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, first);
        assertKeeperError(Code.NODEEXISTS,
                () -> zk.create("/crud-zxid-a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        Stat second = new Stat();
        zk.create("/crud-zxid-b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, second);
        // another client might write in between (not in these tests), so only a lower bound is asserted
        assertThat(second.getCzxid()).isGreaterThanOrEqualTo(first.getCzxid() + 2);
    }

    @Test
    void notEmpty() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-notempty", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/crud-notempty/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertKeeperError(Code.NOTEMPTY, () -> zk.delete("/crud-notempty", -1));
        assertKeeperError(Code.NOTEMPTY, () -> zk.delete("/crud-notempty", 0));
    }

    @Test
    void badVersionBeatsNotEmpty() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-bv-ne", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/crud-bv-ne/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertKeeperError(Code.BADVERSION, () -> zk.delete("/crud-bv-ne", 3));
    }

    @Test
    void noChildrenForEphemerals() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-ephparent", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        assertKeeperError(Code.NOCHILDRENFOREPHEMERALS,
                () -> zk.create("/crud-ephparent/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        assertKeeperError(Code.NOCHILDRENFOREPHEMERALS,
                () -> zk.create("/crud-ephparent/s", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL));
    }

    @Test
    void reservedPathsCannotBeDeleted() throws Exception {
        ZooKeeper zk = connect();
        assertKeeperError(Code.BADARGUMENTS, () -> zk.delete("/", -1));
        assertKeeperError(Code.BADARGUMENTS, () -> zk.delete("/zookeeper", -1));
        assertKeeperError(Code.BADARGUMENTS, () -> zk.delete("/zookeeper/quota", -1));
        assertKeeperError(Code.BADARGUMENTS, () -> zk.delete("/zookeeper/config", -1));
        assertThat(zk.exists("/zookeeper/config", false)).isNotNull();
    }

    @Test
    void childrenMayBeCreatedUnderZookeeper() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/zookeeper/crud-extra", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(zk.getChildren("/zookeeper", false)).contains("config", "quota", "crud-extra");
        zk.delete("/zookeeper/crud-extra", -1);
    }

    @Test
    void noAuthBeatsBadVersionOnSetData() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-na-bv", DATA, Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertKeeperError(Code.NOAUTH, () -> zk.setData("/crud-na-bv", DATA, 7));
    }

    @Test
    void noAuthBeatsBadVersionOnSetAcl() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-na-bv-acl", DATA, Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertKeeperError(Code.NOAUTH, () -> zk.setACL("/crud-na-bv-acl", Ids.OPEN_ACL_UNSAFE, 7));
    }

    @Test
    void noAuthOnTheParentBeatsNoNodeOnDelete() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-na-nn", null, acls(acl(Perms.ALL & ~Perms.DELETE, "world", "anyone")),
                CreateMode.PERSISTENT);
        assertKeeperError(Code.NOAUTH, () -> zk.delete("/crud-na-nn/missing", -1));
    }

    @Test
    void noAuthOnTheParentBeatsNodeExistsOnCreate() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-na-ne", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/crud-na-ne/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setACL("/crud-na-ne", acls(acl(Perms.ALL & ~Perms.CREATE, "world", "anyone")), -1);
        assertKeeperError(Code.NOAUTH,
                () -> zk.create("/crud-na-ne/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
    }

    @Test
    void invalidAclBeatsMissingParentOnCreate() throws Exception {
        ZooKeeper zk = connect();
        assertKeeperError(Code.INVALIDACL, () -> zk.create("/crud-ia-missing/c", null,
                acls(acl(Perms.ALL, "world", "someone")), CreateMode.PERSISTENT));
    }

    @Test
    void nodeExistsBeatsNoChildrenForEphemerals() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/crud-ne-eph", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/crud-ne-eph/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        // the existing node is checked before the ephemeral parent: create /crud-ne-eph/e again -> NodeExists
        assertKeeperError(Code.NODEEXISTS,
                () -> zk.create("/crud-ne-eph/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
    }

    // ---------------------------------------------------------------- the initial tree (needs a fresh server)

    @Test
    void initialTreeOfAFreshServer() throws Exception {
        ServerUnderTest fresh = freshServer(Map.of());
        ZooKeeper zk = connect(fresh, ZkClients.DEFAULT_SESSION_TIMEOUT_MS, null);

        Stat root = zk.exists("/", false);
        assertThat(root.getCzxid()).isZero();
        assertThat(root.getMzxid()).isZero();
        assertThat(root.getPzxid()).isZero();
        assertThat(root.getCtime()).isZero();
        assertThat(root.getMtime()).isZero();
        assertThat(root.getVersion()).isZero();
        assertThat(root.getCversion()).isEqualTo(-1);
        assertThat(root.getAversion()).isZero();
        assertThat(root.getEphemeralOwner()).isZero();
        assertThat(root.getDataLength()).isZero();
        assertThat(root.getNumChildren()).isEqualTo(1);
        assertThat(zk.getChildren("/", false)).containsExactly("zookeeper");
        assertThat(zk.getACL("/", new Stat())).isEqualTo(Ids.OPEN_ACL_UNSAFE);

        Stat zookeeper = zk.exists("/zookeeper", false);
        assertThat(zookeeper.getCversion()).isEqualTo(-2);
        assertThat(zookeeper.getNumChildren()).isEqualTo(2);
        assertThat(zookeeper.getCzxid()).isZero();
        assertThat(zk.getChildren("/zookeeper", false)).containsExactlyInAnyOrder("config", "quota");
        assertThat(zk.getACL("/zookeeper", new Stat())).isEqualTo(Ids.OPEN_ACL_UNSAFE);

        Stat config = new Stat();
        assertThat(zk.getACL("/zookeeper/config", config)).isEqualTo(Ids.READ_ACL_UNSAFE);
        assertThat(config.getAversion()).isEqualTo(-1);
        assertThat(zk.getData("/zookeeper/config", false, null)).isNullOrEmpty();
        assertThat(zk.getACL("/zookeeper/quota", new Stat())).isEqualTo(Ids.OPEN_ACL_UNSAFE);
        assertThat(zk.getChildren("/zookeeper/quota", false)).isEmpty();

        assertThat(zk.getAllChildrenNumber("/")).isEqualTo(3);

        // the first user write on a fresh server is zxid 2 (the session creation was zxid 1)
        Stat created = new Stat();
        zk.create("/first", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);
        assertThat(created.getCzxid()).isEqualTo(2);
        Stat rootAfter = zk.exists("/", false);
        assertThat(rootAfter.getCversion()).isZero();
        assertThat(rootAfter.getPzxid()).isEqualTo(2);
        assertThat(rootAfter.getNumChildren()).isEqualTo(2);
    }

    @Test
    void configNodeIsReadOnlyForAnyone() throws Exception {
        ZooKeeper zk = connect();
        assertKeeperError(Code.NOAUTH, () -> zk.setData("/zookeeper/config", DATA, -1));
        assertKeeperError(Code.NOAUTH,
                () -> zk.create("/zookeeper/config/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
    }
}
