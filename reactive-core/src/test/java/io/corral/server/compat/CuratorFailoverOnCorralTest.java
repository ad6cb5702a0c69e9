package io.corral.server.compat;

import io.corral.client.TestEnsemble;
import io.corral.server.ensemble.CorralTestEnsemble;

/** {@link CuratorFailoverContract} against three Corral servers in this JVM. */
class CuratorFailoverOnCorralTest extends CuratorFailoverContract {
    @Override
    protected TestEnsemble startEnsemble(int size) {
        return CorralTestEnsemble.start(size);
    }
}
