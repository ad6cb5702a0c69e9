package io.corral.client.recipes;

import java.util.Map;

import io.corral.client.TestServer;
import io.corral.client.ZooKeeperTestServer;

class CoordinationRecipesOnZooKeeperTest extends CoordinationRecipesContract {
    @Override
    protected TestServer startServer(Map<String, String> config) {
        return ZooKeeperTestServer.start(config);
    }
}
