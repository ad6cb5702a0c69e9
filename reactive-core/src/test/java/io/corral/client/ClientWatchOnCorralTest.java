package io.corral.client;

import java.util.Map;

class ClientWatchOnCorralTest extends ClientWatchContract {
    @Override
    protected TestServer startServer(Map<String, String> config) {
        return CorralTestServer.start(config);
    }
}
