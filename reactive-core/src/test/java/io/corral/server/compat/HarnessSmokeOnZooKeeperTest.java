package io.corral.server.compat;

import java.util.Map;

class HarnessSmokeOnZooKeeperTest extends HarnessSmokeContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return ZooKeeperServers.start(config);
    }
}
