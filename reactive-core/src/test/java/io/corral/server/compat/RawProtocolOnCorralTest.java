package io.corral.server.compat;

import java.util.Map;

/** Runs {@link RawProtocolContract} against Corral. */
class RawProtocolOnCorralTest extends RawProtocolContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(config);
    }
}
