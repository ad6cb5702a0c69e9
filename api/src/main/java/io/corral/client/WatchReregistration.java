package io.corral.client;

import java.util.List;

import io.corral.protocol.OpCode;
import io.corral.protocol.SetWatchesRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A resumed session's watches, registered again on its new connection, before the connection's state is told:
 * setWatches2 in chunks (as ZooKeeper's client: ~128 KB of paths each) so that no frame nears jute.maxbuffer, and
 * the state published once the last chunk is answered (replies come in order). Kept apart from the handshake in
 * {@link ClientCore}; on the client's actor.
 */
final class WatchReregistration {
    /** The client's logger, as before this class was split off: log settings that name it still apply. */
    private static final Logger log = LoggerFactory.getLogger(ClientCore.class);

    private WatchReregistration() {
    }

    /** Sends {@code chunks}, then publishes {@code connectedState} (at once when there is nothing to send). */
    static void send(ClientCore core, List<SetWatchesRequest> chunks, ConnectionState connectedState) {
        for (int i = 0; i < chunks.size(); i++) {
            boolean last = i == chunks.size() - 1;
            core.sendNow(new Pending(OpCode.SET_WATCHES2, null, chunks.get(i), ReplyDecoder.NONE,
                    new Pending.Outcome() {
                        @Override
                        public void success(Object value) {
                            if (last) {
                                core.publish(connectedState);
                            }
                        }

                        @Override
                        public void error(Throwable error) {
                            if (core.connected()) { // a server error; a lost connection publishes SUSPENDED instead
                                log.warn("re-registering watches failed: {}", error.toString());
                                if (last) {
                                    core.publish(connectedState);
                                }
                            }
                        }
                    }, null));
        }
        if (chunks.isEmpty()) {
            core.publish(connectedState);
        }
    }
}
