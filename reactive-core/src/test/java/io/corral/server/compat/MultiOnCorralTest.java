package io.corral.server.compat;

import java.util.Map;

class MultiOnCorralTest extends MultiContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(config);
    }
}
