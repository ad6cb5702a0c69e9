package io.corral.server.compat;

import java.util.Map;

class QuotaOnCorralTest extends QuotaContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(config);
    }
}
