package io.corral.client;

import java.util.Map;

class ClientMultiReadOnCorralTest extends ClientMultiReadContract {
    @Override
    protected TestServer startServer(Map<String, String> config) {
        return CorralTestServer.start(config);
    }
}
