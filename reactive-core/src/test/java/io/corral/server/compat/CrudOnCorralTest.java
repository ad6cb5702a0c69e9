package io.corral.server.compat;

import java.util.Map;

class CrudOnCorralTest extends CrudContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(config);
    }
}
