package io.corral.client.recipes;

import java.util.Map;

import io.corral.client.TestServer;
import io.corral.server.compat.CorralServers;
import io.corral.server.compat.ServerUnderTest;

class RecipesOnCorralTest extends RecipesContract {
    @Override
    protected TestServer startServer(Map<String, String> config) {
        ServerUnderTest server = CorralServers.start(config);
        return new TestServer() {
            @Override
            public String connectString() {
                return server.connectString();
            }

            @Override
            public String kind() {
                return "corral";
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
