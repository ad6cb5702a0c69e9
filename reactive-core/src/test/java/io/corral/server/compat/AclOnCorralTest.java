package io.corral.server.compat;

import java.util.Map;

class AclOnCorralTest extends AclContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(config);
    }
}
