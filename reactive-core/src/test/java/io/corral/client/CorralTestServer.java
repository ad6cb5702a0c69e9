package io.corral.client;

import java.util.Map;

import io.corral.server.compat.CorralServers;
import io.corral.server.compat.ServerUnderTest;

/** A Corral server in-process for the client contracts (the compat harness's defaults, clientPort 0). */
public final class CorralTestServer implements TestServer {
    private final ServerUnderTest server;

    private CorralTestServer(ServerUnderTest server) {
        this.server = server;
    }

    public static TestServer start(Map<String, String> config) {
        return new CorralTestServer(CorralServers.start(config));
    }

    @Override
    public String connectString() {
        return server.connectString();
    }

    @Override
    public String kind() {
        return "corral";
    }

    @Override
    public void close() {
        server.close();
    }
}
