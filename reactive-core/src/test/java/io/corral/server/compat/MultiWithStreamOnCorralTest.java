package io.corral.server.compat;

import java.util.Map;

/** MultiContract on Corral while a resumable watch stream covers the whole tree. */
class MultiWithStreamOnCorralTest extends MultiContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralWithStreamSubscriber.start(config);
    }
}
