package io.corral.server.compat;

import java.util.Map;
import java.util.Set;

import org.apache.zookeeper.server.auth.ProviderRegistry;

/**
 * ZooKeeper reads its SASL settings from system properties: the sasl provider when its provider registry
 * initialises, enforce.auth when a server is made, allowSaslFailedClients at each SASL step, letAnySaslUserDoX at
 * each ACL check. They are set around the start of each server (those two until it stops; the tests that ask for them
 * close their server themselves), and the registry is reset when it stops, so the other tests of the JVM see a
 * ZooKeeper without them.
 */
class SaslOnZooKeeperTest extends SaslContract {
    private static final String PROVIDER_PROPERTY = "zookeeper.authProvider.1";
    /** What ZooKeeper reads at each SASL step rather than when a server is made: kept until the server stops. */
    private static final Set<String> READ_WHILE_SERVING = Set.of("allowSaslFailedClients", "letAnySaslUserDoX");

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
            config.keySet().stream().filter(k -> !READ_WHILE_SERVING.contains(k))
                    .forEach(k -> System.clearProperty("zookeeper." + k));
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
                config.keySet().forEach(k -> System.clearProperty("zookeeper." + k));
                System.clearProperty(PROVIDER_PROPERTY);
                ProviderRegistry.reset();
            }
        };
    }
}
