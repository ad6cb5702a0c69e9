package io.corral.server.compat;

import java.util.Map;

class MultiOnZooKeeperTest extends MultiContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return ZooKeeperServers.start(config);
    }
}
