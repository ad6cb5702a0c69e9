package io.corral.server.compat;

import java.util.Map;

class WatchOnCorralTest extends WatchContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(config);
    }
}
