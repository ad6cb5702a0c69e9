package io.corral.server.compat;

import java.util.Map;

/** Runs {@link FourLetterWordHalfCloseContract} against Corral. */
class FourLetterWordHalfCloseOnCorralTest extends FourLetterWordHalfCloseContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralServers.start(config);
    }
}
