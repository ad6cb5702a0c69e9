package io.corral.server.membership;

class FollowEnsembleOnZooKeeperTest extends FollowEnsembleContract {
    @Override
    StartedEnsemble start(EnsembleFiles files) {
        return ZooKeeperEnsemble.start(files);
    }

    @Override
    boolean removedServerServesUntilStopped() {
        return true;
    }
}
