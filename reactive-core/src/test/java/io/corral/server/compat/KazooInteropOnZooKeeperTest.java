package io.corral.server.compat;

import java.util.Map;

/** Proves {@link KazooInteropContract} against Apache ZooKeeper. */
class KazooInteropOnZooKeeperTest extends KazooInteropContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return ZooKeeperServers.start(config);
    }
}
