package io.corral.server.compat;

import java.util.Map;

/** CuratorRecipesContract on Corral while a resumable watch stream covers the whole tree. */
class CuratorRecipesWithStreamOnCorralTest extends CuratorRecipesContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralWithStreamSubscriber.start(config);
    }
}
