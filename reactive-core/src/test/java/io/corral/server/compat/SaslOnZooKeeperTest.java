package io.corral.server.compat;

import java.util.Map;

import org.apache.zookeeper.server.auth.ProviderRegistry;

/**
 * ZooKeeper reads its SASL settings from system properties: the sasl provider when its provider registry
 * initialises, enforce.auth when a server is made. They are set around the start of each server, and the registry
 * is reset when it stops, so the other tests of the JVM see a ZooKeeper without them.
 */
class SaslOnZooKeeperTest extends SaslContract {
    private static final String PROVIDER_PROPERTY = "zookeeper.authProvider.1";

    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        System.setProperty(PROVIDER_PROPERTY, SASL_PROVIDER);
        ProviderRegistry.reset();
        ProviderRegistry.initialize();
        config.forEach((k, v) -> System.setProperty("zookeeper." + k, v));
        ServerUnderTest started;
        try {
            started = ZooKeeperServers.start(Map.of());
        } finally {
            config.keySet().forEach(k -> System.clearProperty("zookeeper." + k));
        }
        return new ServerUnderTest() {
            @Override
            public String connectString() {
                return started.connectString();
            }

            @Override
            public String kind() {
                return started.kind();
            }

            @Override
            public void close() {
                started.close();
                System.clearProperty(PROVIDER_PROPERTY);
                ProviderRegistry.reset();
            }
        };
    }
}
