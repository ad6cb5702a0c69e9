package io.corral.server.compat;

import java.util.Map;

/** Runs {@link LargeRepliesContract} against Corral. */
class LargeRepliesOnCorralTest extends LargeRepliesContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(config);
    }
}
