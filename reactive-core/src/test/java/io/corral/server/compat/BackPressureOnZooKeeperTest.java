package io.corral.server.compat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * Proves {@link BackPressureContract} against Apache ZooKeeper. ZooKeeper reads globalOutstandingLimit from a JVM-wide
 * system property on every request, so it is set for the lifetime of this class only, then put back.
 */
class BackPressureOnZooKeeperTest extends BackPressureContract {
    private static final String PROPERTY = "zookeeper.globalOutstandingLimit";
    private boolean propertySet;
    private String previous;

    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        String limit = config.get("globalOutstandingLimit");
        if (limit != null && !propertySet) {
            previous = System.setProperty(PROPERTY, limit);
            propertySet = true;
        }
        return ZooKeeperServers.start(config);
    }

    @AfterAll
    void restoreGlobalOutstandingLimit() {
        if (!propertySet) {
            return;
        }
        if (previous == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, previous);
        }
    }
}
