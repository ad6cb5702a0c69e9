package io.corral.server.compat;

import java.util.HashMap;
import java.util.Map;

class SaslOnCorralTest extends SaslContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        Map<String, String> keys = new HashMap<>(config);
        keys.put("authProvider.1", SASL_PROVIDER);
        return CorralServers.start(keys);
    }
}
