package io.corral.client;

import java.util.Map;

class ClientOperationsOnCorralTest extends ClientOperationsContract {
    @Override
    protected TestServer startServer(Map<String, String> config) {
        return CorralTestServer.start(config);
    }
}
