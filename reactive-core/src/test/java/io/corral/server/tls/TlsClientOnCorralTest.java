package io.corral.server.tls;

import io.corral.server.CorralServer;
import io.corral.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

class TlsClientOnCorralTest extends TlsClientContract {
    private CorralServer server;

    @Override
    int startSecureServer(Map<String, String> tlsKeys, Path dir) {
        Map<String, String> keys = new HashMap<>(tlsKeys);
        keys.put("dataDir", dir.resolve("data").toString());
        keys.put("secureClientPort", "0");
        keys.put("secureClientPortAddress", "127.0.0.1");
        server = CorralServer.start(ServerConfig.parse(keys));
        return server.secureClientAddress().getPort();
    }

    @Override
    AutoCloseable running() {
        return server;
    }
}
