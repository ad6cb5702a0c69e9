package io.corral.server.compat;

import java.util.Map;

/** Runs {@link RawWatchProtocolContract} against Corral. */
class RawWatchProtocolOnCorralTest extends RawWatchProtocolContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(config);
    }
}
