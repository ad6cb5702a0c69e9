package io.corral.client;

import java.util.Map;

class ClientWatchVolumeOnZooKeeperTest extends ClientWatchVolumeContract {
    @Override
    protected TestServer startServer(Map<String, String> config) {
        return ZooKeeperTestServer.start(config);
    }
}
