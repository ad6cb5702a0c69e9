package io.corral.server.compat;

import static io.corral.server.compat.KeeperAssertions.assertKeeperError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.StatsTrack;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.cli.DelQuotaCommand;
import org.apache.zookeeper.cli.ListQuotaCommand;
import org.apache.zookeeper.cli.SetQuotaCommand;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Quotas written through the official client's quota API (what zkCli's setquota, listquota and delquota call): the
 * server keeps {@code zookeeper_stats} in ZooKeeper's StatsTrack text, warns past a soft limit, and with
 * {@code enforceQuota=true} refuses writes past a hard one with QUOTAEXCEEDED. ZooKeeper reads enforceQuota once per
 * JVM from the system property {@code zookeeper.enforceQuota}, which the build sets for every test JVM.
 */
public abstract class QuotaContract extends AbstractCompatContract {
    private static final String SOFT_AND_HARD_UNSET = "bytes=-1=;byteHardLimit=-1;countHardLimit=-1";

    @Override
    protected Map<String, String> serverConfig() {
        return Map.of("enforceQuota", "true");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static StatsTrack limits(long count, long bytes, long countHard, long bytesHard) {
        StatsTrack quota = new StatsTrack();
        quota.setCount(count);
        quota.setBytes(bytes);
        quota.setCountHardLimit(countHard);
        quota.setByteHardLimit(bytesHard);
        return quota;
    }

    private static String stats(ZooKeeper zk, String path) throws Exception {
        return new String(zk.getData("/zookeeper/quota" + path + "/zookeeper_stats", false, null),
                StandardCharsets.UTF_8);
    }

    private static void create(ZooKeeper zk, String path, String data) throws Exception {
        zk.create(path, bytes(data), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    @Test
    void statsFollowCreatesSetDataAndDeletesInStatsTrackText() throws Exception {
        ZooKeeper zk = connect();
        create(zk, "/qs", "ab");
        create(zk, "/qs/old", "c");
        SetQuotaCommand.createQuota(zk, "/qs", limits(10, -1, -1, -1));

        List<StatsTrack> listed = ListQuotaCommand.listQuota(zk, "/qs");
        assertThat(listed.get(0).toString()).isEqualTo("count=10," + SOFT_AND_HARD_UNSET);
        assertThat(listed.get(1).toString()).isEqualTo("count=2,bytes=3");
        assertThat(zk.getChildren("/zookeeper/quota/qs", false))
                .containsExactlyInAnyOrder("zookeeper_limits", "zookeeper_stats");

        create(zk, "/qs/a", "xyz");
        create(zk, "/qs/a/b", "");
        assertThat(stats(zk, "/qs")).isEqualTo("count=4,bytes=6");
        zk.setData("/qs/a", bytes("x"), -1);
        assertThat(stats(zk, "/qs")).isEqualTo("count=4,bytes=4");
        zk.delete("/qs/a/b", -1);
        zk.delete("/qs/a", -1);
        assertThat(stats(zk, "/qs")).isEqualTo("count=2,bytes=3");

        // the server rewrites the stats node in place: no new version, no new mzxid
        Stat stat = new Stat();
        byte[] data = zk.getData("/zookeeper/quota/qs/zookeeper_stats", false, stat);
        assertThat(stat.getVersion()).isZero();
        assertThat(stat.getMzxid()).isEqualTo(stat.getCzxid());
        assertThat(stat.getDataLength()).isEqualTo(data.length);

        // a sibling with a common name prefix is outside the quota
        create(zk, "/qsx", "zzzz");
        assertThat(stats(zk, "/qs")).isEqualTo("count=2,bytes=3");
    }

    @Test
    void softLimitsWarnButAllowTheWrite() throws Exception {
        ZooKeeper zk = connect();
        create(zk, "/soft", "");
        SetQuotaCommand.createQuota(zk, "/soft", limits(2, 4, -1, -1));
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        root.addAppender(lines);
        try {
            create(zk, "/soft/a", "");
            create(zk, "/soft/b", "");
            zk.setData("/soft/a", bytes("12345"), -1);
        } finally {
            root.detachAppender(lines);
        }
        assertThat(stats(zk, "/soft")).isEqualTo("count=3,bytes=5");
        List<String> warnings = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).anyMatch(w -> w.contains("Quota exceeded: /soft [current count=3, softCountLimit=2]"));
        assertThat(warnings).anyMatch(w -> w.contains("Quota exceeded: /soft [current bytes=5, softByteLimit=4]"));
        assertThat(warnings).noneMatch(w -> w.contains("current count=2"));
    }

    @Test
    void hardCountLimitRefusesCreatesWithQuotaExceeded() throws Exception {
        ZooKeeper zk = connect();
        create(zk, "/hard", "");
        SetQuotaCommand.createQuota(zk, "/hard", limits(-1, -1, 3, -1));
        assertThat(ListQuotaCommand.listQuota(zk, "/hard").get(0).toString())
                .isEqualTo("count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=3");
        create(zk, "/hard/a", "");
        create(zk, "/hard/a/b", "");
        KeeperException refused = assertKeeperError(Code.QUOTAEXCEEDED, () -> create(zk, "/hard/c", ""));
        assertThat(refused.getPath()).isEqualTo("/hard/c");
        assertKeeperError(Code.QUOTAEXCEEDED, () -> zk.create("/hard/s", null, Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_SEQUENTIAL));
        assertThat(zk.exists("/hard/c", false)).isNull();
        assertThat(stats(zk, "/hard")).isEqualTo("count=3,bytes=0");

        // in a multi the create fails with QUOTAEXCEEDED and the others are rolled back
        List<OpResult> results = refusedMulti(zk);
        assertThat(results).hasSize(2);
        assertThat(((OpResult.ErrorResult) results.get(0)).getErr()).isEqualTo(Code.OK.intValue());
        assertThat(((OpResult.ErrorResult) results.get(1)).getErr()).isEqualTo(Code.QUOTAEXCEEDED.intValue());
        assertThat(zk.getData("/hard/a", false, null)).isEmpty();

        // room again after a delete
        zk.delete("/hard/a/b", -1);
        create(zk, "/hard/c", "");
        assertThat(stats(zk, "/hard")).isEqualTo("count=3,bytes=0");
    }

    private static List<OpResult> refusedMulti(ZooKeeper zk) throws InterruptedException {
        try {
            zk.multi(List.of(Op.setData("/hard/a", bytes("x"), -1),
                    Op.create("/hard/m", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)));
            throw new AssertionError("the multi passed the hard quota");
        } catch (KeeperException e) {
            assertThat(e.code()).isEqualTo(Code.QUOTAEXCEEDED);
            return e.getResults();
        }
    }

    @Test
    void hardByteLimitRefusesSetDataAndCreatesPastIt() throws Exception {
        ZooKeeper zk = connect();
        create(zk, "/bytes", "ab");
        SetQuotaCommand.createQuota(zk, "/bytes", limits(-1, -1, -1, 5));
        assertKeeperError(Code.QUOTAEXCEEDED, () -> zk.setData("/bytes", bytes("123456"), -1));
        zk.setData("/bytes", bytes("12345"), -1);
        assertKeeperError(Code.QUOTAEXCEEDED, () -> create(zk, "/bytes/k", "x"));
        create(zk, "/bytes/empty", ""); // no bytes added and no count limit: nothing to check
        zk.setData("/bytes", bytes("1"), -1);
        create(zk, "/bytes/k", "xxxx");
        assertThat(stats(zk, "/bytes")).isEqualTo("count=3,bytes=5");
        assertThat(zk.getData("/bytes", false, null)).isEqualTo(bytes("1"));
    }

    @Test
    void hardLimitTakesPrecedenceOverTheSoftOne() throws Exception {
        ZooKeeper zk = connect();
        create(zk, "/both", "");
        SetQuotaCommand.createQuota(zk, "/both", limits(1, -1, -1, -1));
        SetQuotaCommand.createQuota(zk, "/both", limits(-1, -1, 3, -1)); // updates: keeps the soft count
        assertThat(ListQuotaCommand.listQuota(zk, "/both").get(0).toString())
                .isEqualTo("count=1,bytes=-1=;byteHardLimit=-1;countHardLimit=3");
        create(zk, "/both/a", "");
        create(zk, "/both/b", "");
        assertKeeperError(Code.QUOTAEXCEEDED, () -> create(zk, "/both/c", ""));
    }

    @Test
    void deletedQuotasNoLongerLimitOrCount() throws Exception {
        ZooKeeper zk = connect();
        create(zk, "/gone", "");
        create(zk, "/partly", "");
        SetQuotaCommand.createQuota(zk, "/gone", limits(-1, -1, 1, -1));
        SetQuotaCommand.createQuota(zk, "/partly", limits(-1, -1, 1, 2));
        assertKeeperError(Code.QUOTAEXCEEDED, () -> create(zk, "/gone/a", ""));

        DelQuotaCommand.delQuota(zk, "/gone", null);
        create(zk, "/gone/a", "");
        assertThat(zk.exists("/zookeeper/quota/gone", false)).isNull();
        assertKeeperError(Code.NONODE, () -> ListQuotaCommand.listQuota(zk, "/gone"));

        StatsTrack countHardOnly = new StatsTrack();
        countHardOnly.setCountHardLimit(1);
        DelQuotaCommand.delQuota(zk, "/partly", countHardOnly);
        assertThat(ListQuotaCommand.listQuota(zk, "/partly").get(0).toString())
                .isEqualTo("count=-1,bytes=-1=;byteHardLimit=2;countHardLimit=-1");
        create(zk, "/partly/a", "");
        assertKeeperError(Code.QUOTAEXCEEDED, () -> create(zk, "/partly/b", "123"));
        assertThat(stats(zk, "/partly")).isEqualTo("count=2,bytes=0");
    }

    @Test
    void quotaOfTheDeepestLimitedPathCounts() throws Exception {
        ZooKeeper zk = connect();
        create(zk, "/outer", "");
        create(zk, "/outer/inner", "");
        // zkCli refuses nested quotas; written directly, the deepest one is the one that counts (both servers)
        SetQuotaCommand.createQuota(zk, "/outer/inner", limits(-1, -1, 2, -1));
        create(zk, "/zookeeper/quota/outer/zookeeper_limits", "count=-1,bytes=-1");
        create(zk, "/zookeeper/quota/outer/zookeeper_stats", "count=0,bytes=0");
        assertThat(stats(zk, "/outer")).isEqualTo("count=2,bytes=0");
        create(zk, "/outer/inner/x", "");
        assertKeeperError(Code.QUOTAEXCEEDED, () -> create(zk, "/outer/inner/y", ""));
        create(zk, "/outer/y", "");
        assertThat(stats(zk, "/outer")).isEqualTo("count=3,bytes=0");
        assertThat(stats(zk, "/outer/inner")).isEqualTo("count=2,bytes=0");
    }
}
