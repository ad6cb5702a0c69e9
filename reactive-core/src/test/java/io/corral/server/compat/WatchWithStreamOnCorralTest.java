package io.corral.server.compat;

import java.util.Map;

/** WatchContract on Corral while a resumable watch stream covers the whole tree. */
class WatchWithStreamOnCorralTest extends WatchContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralWithStreamSubscriber.start(config);
    }
}
