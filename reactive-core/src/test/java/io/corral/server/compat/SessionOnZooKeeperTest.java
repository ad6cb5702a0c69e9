package io.corral.server.compat;

import java.util.Map;

class SessionOnZooKeeperTest extends SessionContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return ZooKeeperServers.start(config);
    }
}
