package io.corral.server.compat;

import java.util.Map;

class AclOnZooKeeperTest extends AclContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return ZooKeeperServers.start(config);
    }
}
