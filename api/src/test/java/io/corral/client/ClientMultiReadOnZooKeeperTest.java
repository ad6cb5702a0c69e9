package io.corral.client;

import java.util.Map;

class ClientMultiReadOnZooKeeperTest extends ClientMultiReadContract {
    @Override
    protected TestServer startServer(Map<String, String> config) {
        return ZooKeeperTestServer.start(config);
    }
}
