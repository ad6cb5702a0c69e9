package io.corral.server.compat;

import java.util.Map;

/** Runs {@link NullStringsContract} against Corral. */
class NullStringsOnCorralTest extends NullStringsContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(config);
    }
}
