package io.corral.client;

import io.corral.server.ensemble.CorralTestEnsemble;

/** {@link EnsembleFailoverContract} against three Corral servers in this JVM. */
class EnsembleFailoverOnCorralTest extends EnsembleFailoverContract {
    @Override
    protected TestEnsemble startEnsemble(int size) {
        return CorralTestEnsemble.start(size);
    }
}
