package io.corral.server.compat;

import java.util.Map;

/** Runs {@link ConcurrencyContract} against Corral. */
class ConcurrencyOnCorralTest extends ConcurrencyContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(config);
    }
}
