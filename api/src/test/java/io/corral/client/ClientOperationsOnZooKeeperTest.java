package io.corral.client;

import java.util.Map;

class ClientOperationsOnZooKeeperTest extends ClientOperationsContract {
    @Override
    protected TestServer startServer(Map<String, String> config) {
        return ZooKeeperTestServer.start(config);
    }
}
