package io.corral.server.compat;

import java.util.Map;

class HarnessSmokeOnCorralTest extends HarnessSmokeContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(config);
    }
}
