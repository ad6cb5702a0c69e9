package io.corral.client;

import java.util.Map;

class ClientFailoverOnZooKeeperTest extends ClientFailoverContract {
    @Override
    protected TestServer startServer(Map<String, String> config) {
        return ZooKeeperTestServer.start(config);
    }
}
