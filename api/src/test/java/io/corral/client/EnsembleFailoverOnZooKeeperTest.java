package io.corral.client;

class EnsembleFailoverOnZooKeeperTest extends EnsembleFailoverContract {
    @Override
    protected TestEnsemble startEnsemble(int size) {
        return ZooKeeperTestEnsemble.start(size);
    }
}
