package io.corral.server.membership;

import io.corral.server.compat.ServerUnderTest;
import io.corral.server.compat.ZooKeeperServers;

import java.util.Map;

class ReconfigOnZooKeeperTest extends ReconfigContract {
    @Override
    StartedEnsemble start(EnsembleFiles files) {
        return ZooKeeperEnsemble.start(files);
    }

    @Override
    ServerUnderTest standalone() {
        return ZooKeeperServers.start(Map.of());
    }

    @Override
    String modeOfARemovedServer() {
        return "follower";
    }
}
