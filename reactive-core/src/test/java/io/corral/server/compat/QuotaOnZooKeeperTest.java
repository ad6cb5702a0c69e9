package io.corral.server.compat;

import java.util.Map;

class QuotaOnZooKeeperTest extends QuotaContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return ZooKeeperServers.start(config);
    }
}
