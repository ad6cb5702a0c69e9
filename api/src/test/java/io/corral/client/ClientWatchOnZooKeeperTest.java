package io.corral.client;

import java.util.Map;

class ClientWatchOnZooKeeperTest extends ClientWatchContract {
    @Override
    protected TestServer startServer(Map<String, String> config) {
        return ZooKeeperTestServer.start(config);
    }
}
