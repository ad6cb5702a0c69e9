package io.corral.server.compat;

import java.util.Map;

/** Proves {@link NullStringsContract} against Apache ZooKeeper. */
class NullStringsOnZooKeeperTest extends NullStringsContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return ZooKeeperServers.start(config);
    }
}
