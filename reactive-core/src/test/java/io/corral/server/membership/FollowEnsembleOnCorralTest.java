package io.corral.server.membership;

class FollowEnsembleOnCorralTest extends FollowEnsembleContract {
    @Override
    StartedEnsemble start(EnsembleFiles files) {
        return CorralEnsemble.start(files);
    }

    @Override
    boolean removedServerServesUntilStopped() {
        return false;
    }
}
