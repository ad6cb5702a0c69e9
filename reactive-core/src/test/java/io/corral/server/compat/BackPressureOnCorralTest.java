package io.corral.server.compat;

import java.util.Map;

/** Runs {@link BackPressureContract} against Corral. */
class BackPressureOnCorralTest extends BackPressureContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(config);
    }
}
