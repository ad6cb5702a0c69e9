package io.corral.server.compat;

import java.util.Map;

/** Proves {@link LargeRepliesContract} against Apache ZooKeeper. */
class LargeRepliesOnZooKeeperTest extends LargeRepliesContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return ZooKeeperServers.start(config);
    }
}
