package io.corral.server.membership;

import io.corral.server.compat.CorralServers;
import io.corral.server.compat.ServerUnderTest;

import java.util.Map;

class ReconfigOnCorralTest extends ReconfigContract {
    @Override
    StartedEnsemble start(EnsembleFiles files) {
        return CorralEnsemble.start(files);
    }

    @Override
    ServerUnderTest standalone() {
        return CorralServers.start(Map.of());
    }

    @Override
    String modeOfARemovedServer() {
        return "not serving";
    }
}
