package io.corral.cli;

import java.io.PrintStream;
import java.util.List;

import io.corral.client.CorralClient;
import io.corral.client.KeeperErrorException;
import io.corral.protocol.Acl;
import io.corral.protocol.CreateMode;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.QuotaStats;

/**
 * What zkCli's quota commands do to the tree, the same way (the server keeps the stats; these commands only write the
 * quota nodes): a quota of path lives in {@code /zookeeper/quota<path>/zookeeper_limits}, beside the
 * {@code zookeeper_stats} the server counts. One quota per branch of the tree: a path whose ancestor or descendant
 * has a quota gets none. Runs on the shell's thread, waiting for each answer.
 */
final class QuotaNodes {
    private QuotaNodes() {
    }

    /** setquota: creates the quota nodes of path, or updates the figures {@code quota} sets (the others stay). */
    static void create(CorralClient client, String path, QuotaStats quota, PrintStream out) throws CliException {
        ShellCommand.validPath(path);
        if (ShellCommand.await(client.exists(path).hasElement()) == Boolean.FALSE) {
            throw new CliException(path + " does not exist.");
        }
        refuseNestedQuota(client, path);
        String quotaPath = QuotaStats.QUOTA_ROOT;
        String[] segments = path.split("/");
        for (int i = 1; i < segments.length; i++) {
            quotaPath = quotaPath + "/" + segments[i];
            createIfMissing(client, quotaPath);
        }
        String statPath = quotaPath + "/" + QuotaStats.STAT_NODE;
        String limitPath = quotaPath + "/" + QuotaStats.LIMIT_NODE;
        if (!exists(client, limitPath)) {
            ShellCommand.await(client.create(limitPath, quota.toBytes(), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
            QuotaStats none = new QuotaStats().set(QuotaStats.COUNT, 0).set(QuotaStats.BYTES, 0);
            ShellCommand.await(client.create(statPath, none.toBytes(), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
            warnBelowCurrent(figures(client, limitPath), figures(client, statPath), out);
            return;
        }
        QuotaStats limits = figures(client, limitPath);
        for (String figure : List.of(QuotaStats.COUNT, QuotaStats.BYTES, QuotaStats.COUNT_HARD_LIMIT,
                QuotaStats.BYTE_HARD_LIMIT)) {
            if (quota.get(figure) > -1) {
                limits.set(figure, quota.get(figure));
            }
        }
        warnBelowCurrent(limits, figures(client, statPath), out);
        ShellCommand.await(client.setData(limitPath, limits.toBytes(), -1));
    }

    /** listquota: the limits, then the stats; NONODE when path has no quota. */
    static List<QuotaStats> list(CorralClient client, String path) throws KeeperErrorException, CliException {
        return List.of(figuresOrNoNode(client, QuotaStats.limitPath(path)),
                figuresOrNoNode(client, QuotaStats.statPath(path)));
    }

    /**
     * delquota: with {@code figures} null, removes the quota nodes of path and the quota path's ancestors left
     * empty; otherwise sets the figures {@code figures} names (any value) back to -1.
     */
    static void delete(CorralClient client, String path, QuotaStats figures, PrintStream out)
            throws KeeperErrorException, CliException {
        String limitPath = QuotaStats.limitPath(path);
        if (!exists(client, limitPath)) {
            out.println("Quota does not exist for " + path);
            return;
        }
        QuotaStats limits = figuresOrNoNode(client, limitPath);
        if (figures == null) {
            String quotaPath = QuotaStats.quotaPath(path);
            for (String child : ShellCommand.await(client.getChildren(quotaPath)).names()) {
                ShellCommand.await(client.delete(quotaPath + "/" + child, -1));
            }
            trimEmptyAncestors(client, quotaPath);
            return;
        }
        for (String figure : List.of(QuotaStats.COUNT, QuotaStats.BYTES, QuotaStats.COUNT_HARD_LIMIT,
                QuotaStats.BYTE_HARD_LIMIT)) {
            if (figures.get(figure) > 0) {
                limits.set(figure, -1);
            }
        }
        ShellCommand.await(client.setData(limitPath, limits.toBytes(), -1));
    }

    private static void trimEmptyAncestors(CorralClient client, String quotaPath) throws CliException {
        for (String at = quotaPath; !at.equals(QuotaStats.QUOTA_ROOT); at = at.substring(0, at.lastIndexOf('/'))) {
            if (!ShellCommand.await(client.getChildren(at)).names().isEmpty()) {
                return;
            }
            ShellCommand.await(client.delete(at, -1));
        }
    }

    /** zkCli's refusal of a quota inside or above another one, with its messages. */
    private static void refuseNestedQuota(CorralClient client, String path) throws CliException {
        String own = QuotaStats.quotaPath(path);
        List<String> below = exists(client, own) ? Tree.depthFirst(client, own) : List.of();
        for (String quotaPath : below) {
            String owner = quotaPath.substring(0, quotaPath.lastIndexOf('/'));
            if (!owner.equals(own) && quotaPath.endsWith("/" + QuotaStats.LIMIT_NODE)) {
                throw new CliException(path + " has a child " + owner.substring(QuotaStats.QUOTA_ROOT.length())
                        + " which has a quota");
            }
        }
        String[] segments = path.split("/");
        String quotaPath = QuotaStats.QUOTA_ROOT;
        for (int i = 1; i < segments.length - 1; i++) {
            quotaPath = quotaPath + "/" + segments[i];
            List<String> children;
            try {
                children = client.getChildren(quotaPath).block().names();
            } catch (KeeperErrorException e) {
                if (e.is(ErrorCode.NO_NODE)) {
                    return;
                }
                throw new CliException(KeeperMessages.describe(e));
            }
            if (children.contains(QuotaStats.LIMIT_NODE)) {
                throw new CliException(path + " has a parent " + quotaPath.substring(QuotaStats.QUOTA_ROOT.length())
                        + " which has a quota");
            }
        }
    }

    /** setquota's notice when the new limits are already below what the subtree holds. */
    private static void warnBelowCurrent(QuotaStats limits, QuotaStats current, PrintStream out) {
        if (below(limits.count(), limits.countHardLimit(), current.count())) {
            out.println("[Warning]: the count quota you create is less than the existing count:" + current.count());
        }
        if (below(limits.bytes(), limits.byteHardLimit(), current.bytes())) {
            out.println("[Warning]: the bytes quota you create is less than the existing bytes:" + current.bytes());
        }
    }

    private static boolean below(long soft, long hard, long current) {
        return (soft > -1 && soft < current) || (hard > -1 && hard < current);
    }

    private static void createIfMissing(CorralClient client, String path) throws CliException {
        if (exists(client, path)) {
            return;
        }
        try {
            client.create(path, null, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).block();
        } catch (KeeperErrorException e) {
            if (!e.is(ErrorCode.NODE_EXISTS)) {
                throw new CliException(KeeperMessages.describe(e));
            }
        }
    }

    private static boolean exists(CorralClient client, String path) throws CliException {
        return Boolean.TRUE.equals(ShellCommand.await(client.exists(path).hasElement()));
    }

    private static QuotaStats figures(CorralClient client, String path) throws CliException {
        return parsed(ShellCommand.await(client.getData(path)).data());
    }

    private static QuotaStats figuresOrNoNode(CorralClient client, String path)
            throws KeeperErrorException, CliException {
        try {
            return parsed(client.getData(path).block().data());
        } catch (KeeperErrorException e) {
            if (e.is(ErrorCode.NO_NODE)) {
                throw e;
            }
            throw new CliException(KeeperMessages.describe(e));
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    private static QuotaStats parsed(byte[] data) throws CliException {
        try {
            return QuotaStats.parse(data);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }
}
