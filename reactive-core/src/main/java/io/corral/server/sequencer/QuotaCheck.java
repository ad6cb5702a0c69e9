package io.corral.server.sequencer;

import io.corral.protocol.ErrorCode;
import io.corral.protocol.QuotaStats;
import io.corral.server.net.RateLimitedWarnings;
import io.corral.server.tree.DataNode;
import io.corral.server.tree.DataTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a create or setData against the quota of the deepest limited path above it, as ZooKeeper 3.9's
 * {@code checkQuota} does: against the applied tree's limit and stats nodes, a hard limit (countHardLimit,
 * byteHardLimit) taking precedence over the soft one of the same figure. Going past a soft limit logs a WARN; going
 * past a hard limit logs it and, with {@code enforceQuota=true}, refuses the write with QUOTAEXCEEDED. ZooKeeper 3.9.5
 * logs nothing at all while enforceQuota is false; Corral warns all the same, as ZooKeeper's quota guide says it does.
 */
final class QuotaCheck {
    private static final Logger log = LoggerFactory.getLogger(QuotaCheck.class);

    private final DataTree tree;
    private final boolean enforce;
    private final RateLimitedWarnings warnings = new RateLimitedWarnings();

    QuotaCheck(DataTree tree, boolean enforce) {
        this.tree = tree;
        this.enforce = enforce;
    }

    /** A write at path that adds {@code countDiff} nodes and {@code bytesDiff} bytes of data. */
    void check(String path, long bytesDiff, int countDiff) throws KeeperError {
        String prefix = tree.limitedPrefixOf(path);
        if (prefix == null) {
            return;
        }
        QuotaStats limits = figures(QuotaStats.limitPath(prefix));
        if (limits == null) {
            return;
        }
        boolean checkCount = countDiff != 0 && (limits.count() > -1 || limits.countHardLimit() > -1);
        boolean checkBytes = bytesDiff != 0 && (limits.bytes() > -1 || limits.byteHardLimit() > -1);
        if (!checkCount && !checkBytes) {
            return;
        }
        QuotaStats current = figures(QuotaStats.statPath(prefix));
        if (current == null) {
            return;
        }
        if (checkCount) {
            check(prefix, "count", "Count", current.count() + countDiff, limits.countHardLimit(), limits.count());
        }
        if (checkBytes) {
            check(prefix, "bytes", "Byte", current.bytes() + bytesDiff, limits.byteHardLimit(), limits.bytes());
        }
    }

    private void check(String prefix, String figure, String limitName, long after, long hard, long soft)
            throws KeeperError {
        boolean isHard = hard > -1;
        long limit = isHard ? hard : soft;
        if (after <= limit) {
            return;
        }
        // ZooKeeper's text: "Quota exceeded: /p [current count=3, softCountLimit=2]"
        warnings.warn(log, prefix + " " + figure, "Quota exceeded: " + prefix + " [current " + figure + "=" + after
                + ", " + (isHard ? "hard" : "soft") + limitName + "Limit=" + limit + "]");
        if (isHard && enforce) {
            throw new KeeperError(ErrorCode.QUOTA_EXCEEDED);
        }
    }

    /** A quota node's figures; null (and an ERROR line, as in ZooKeeper) when it is missing or unreadable. */
    private QuotaStats figures(String path) {
        DataNode node = tree.get(path);
        if (node == null) {
            log.error("Missing quota node {}", path);
            return null;
        }
        try {
            return QuotaStats.parse(node.data());
        } catch (IllegalArgumentException e) {
            log.error("Quota node {} holds no quota figures: {}", path, e.getMessage());
            return null;
        }
    }
}
