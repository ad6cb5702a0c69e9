package io.corral.server.compat;

import java.util.Map;

/** RawWatchProtocolContract on Corral while a resumable watch stream covers the whole tree. */
class RawWatchProtocolWithStreamOnCorralTest extends RawWatchProtocolContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        return CorralWithStreamSubscriber.start(config);
    }
}
