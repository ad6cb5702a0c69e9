package io.corral.server.config;

import java.util.HashMap;
import java.util.Map;

/** Config tests' files: a minimal valid zoo.cfg (a dataDir) plus the given key/value pairs, parsed. */
final class ConfigMaps {
    private ConfigMaps() {
    }

    static ServerConfig parse(String... keyValues) {
        Map<String, String> keys = new HashMap<>();
        keys.put("dataDir", "/var/corral");
        for (int i = 0; i < keyValues.length; i += 2) {
            keys.put(keyValues[i], keyValues[i + 1]);
        }
        return ServerConfig.parse(keys);
    }
}
