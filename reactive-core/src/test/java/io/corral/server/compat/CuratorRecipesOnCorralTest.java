package io.corral.server.compat;

import java.util.Map;

/** Runs {@link CuratorRecipesContract} against Corral. */
class CuratorRecipesOnCorralTest extends CuratorRecipesContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(config);
    }
}
