package io.corral.server.compat;

import java.util.Map;

/** Proves {@link OpcodeContract} against Apache ZooKeeper. */
class OpcodeOnZooKeeperTest extends OpcodeContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return ZooKeeperServers.start(config);
    }
}
