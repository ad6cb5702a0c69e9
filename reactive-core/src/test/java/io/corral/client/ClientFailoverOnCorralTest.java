package io.corral.client;

import java.util.Map;

class ClientFailoverOnCorralTest extends ClientFailoverContract {
    @Override
    protected TestServer startServer(Map<String, String> config) {
        return CorralTestServer.start(config);
    }
}
