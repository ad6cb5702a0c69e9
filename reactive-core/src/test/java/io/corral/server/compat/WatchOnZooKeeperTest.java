package io.corral.server.compat;

import java.util.Map;

class WatchOnZooKeeperTest extends WatchContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return ZooKeeperServers.start(config);
    }
}
