package io.corral.server.compat;

import java.util.Map;

/** SessionContract on Corral while a resumable watch stream covers the whole tree. */
class SessionWithStreamOnCorralTest extends SessionContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralWithStreamSubscriber.start(config);
    }
}
