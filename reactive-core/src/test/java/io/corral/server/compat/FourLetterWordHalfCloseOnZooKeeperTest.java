package io.corral.server.compat;

import java.util.Map;

/** Proves {@link FourLetterWordHalfCloseContract} against Apache ZooKeeper. */
class FourLetterWordHalfCloseOnZooKeeperTest extends FourLetterWordHalfCloseContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return ZooKeeperServers.start(config);
    }
}
