package io.corral.server.compat;

import java.util.Map;

/** Runs {@link KazooInteropContract} against Corral. */
class KazooInteropOnCorralTest extends KazooInteropContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(config);
    }
}
