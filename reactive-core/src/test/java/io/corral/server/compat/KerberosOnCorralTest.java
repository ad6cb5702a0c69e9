package io.corral.server.compat;

import java.util.Map;

class KerberosOnCorralTest extends KerberosContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(withSaslProvider(config));
    }
}
