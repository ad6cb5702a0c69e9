package io.corral.server.compat;

import java.util.Map;

class CrudOnZooKeeperTest extends CrudContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return ZooKeeperServers.start(config);
    }
}
