package io.corral.client.recipes;

import java.util.Map;

import io.corral.client.CorralTestServer;
import io.corral.client.TestServer;

class CoordinationRecipesOnCorralTest extends CoordinationRecipesContract {
    @Override
    protected TestServer startServer(Map<String, String> config) {
        return CorralTestServer.start(config);
    }
}
