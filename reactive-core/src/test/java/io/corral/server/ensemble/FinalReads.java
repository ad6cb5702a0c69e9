package io.corral.server.ensemble;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

import io.corral.server.compat.ZkClients;

/**
 * The end of a history under faults: on every member, a sync and a read of every register, appended to the writes.
 * A write that was acknowledged and then lost (or is missing on one member) makes these reads disagree with the
 * writes' order, which {@link LinearizabilityChecker} then reports.
 */
final class FinalReads {
    private FinalReads() {
    }

    static List<RegisterOp> afterWrites(ProcessCluster cluster, List<Integer> members, List<String> paths,
                                        List<RegisterOp> writes) throws KeeperException, InterruptedException {
        List<RegisterOp> ops = new ArrayList<>(writes);
        for (int id : members) {
            ZooKeeper zk = ZkClients.connect(cluster.connectString(id));
            try {
                for (String path : paths) {
                    long invoke = System.nanoTime();
                    zk.sync(path, (rc, p, ctx) -> { }, null);
                    Stat stat = new Stat();
                    byte[] data = zk.getData(path, false, stat);
                    ops.add(RegisterOp.read(1_000 + id, path, invoke, System.nanoTime(),
                            new String(data, StandardCharsets.UTF_8), stat.getVersion()));
                }
            } finally {
                zk.close();
            }
        }
        return ops;
    }
}
