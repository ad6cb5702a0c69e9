package io.corral.server.compat;

import java.util.Map;

class SessionOnCorralTest extends SessionContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(config);
    }
}
