package io.corral.server.compat;

import java.util.Map;

/** Proves {@link CuratorRecipesContract} against Apache ZooKeeper. */
class CuratorRecipesOnZooKeeperTest extends CuratorRecipesContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return ZooKeeperServers.start(config);
    }
}
