package io.corral.server.compat;

import io.corral.client.TestEnsemble;
import io.corral.client.ZooKeeperTestEnsemble;

/** Proves {@link CuratorFailoverContract} against three Apache ZooKeeper servers in this JVM. */
class CuratorFailoverOnZooKeeperTest extends CuratorFailoverContract {
    @Override
    protected TestEnsemble startEnsemble(int size) {
        return ZooKeeperTestEnsemble.start(size);
    }
}
