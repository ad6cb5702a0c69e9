package io.corral.server.compat;

import java.util.Map;

/** Proves {@link ConcurrencyContract} against Apache ZooKeeper. */
class ConcurrencyOnZooKeeperTest extends ConcurrencyContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return ZooKeeperServers.start(config);
    }
}
