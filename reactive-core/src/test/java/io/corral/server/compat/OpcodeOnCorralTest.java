package io.corral.server.compat;

import java.util.Map;

/** Runs {@link OpcodeContract} against Corral. */
class OpcodeOnCorralTest extends OpcodeContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(config);
    }
}
