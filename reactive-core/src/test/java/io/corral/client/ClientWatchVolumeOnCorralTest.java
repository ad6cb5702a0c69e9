package io.corral.client;

import java.util.Map;

class ClientWatchVolumeOnCorralTest extends ClientWatchVolumeContract {
    @Override
    protected TestServer startServer(Map<String, String> config) {
        return CorralTestServer.start(config);
    }
}
