package io.corral.server.compat;

import java.util.Map;

/** Proves {@link RawWatchProtocolContract} against Apache ZooKeeper. */
class RawWatchProtocolOnZooKeeperTest extends RawWatchProtocolContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return ZooKeeperServers.start(config);
    }
}
