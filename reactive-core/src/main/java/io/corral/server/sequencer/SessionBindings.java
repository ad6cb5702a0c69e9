package io.corral.server.sequencer;

import java.util.HashMap;
import java.util.Map;

/** Which connection currently carries each session. Owned by the sequencer thread. */
final class SessionBindings {
    private final Map<Long, Connection> bySession = new HashMap<>();

    /** Binds a session to a connection; returns the connection it was bound to before, if another. */
    Connection bind(long sessionId, Connection connection) {
        Connection previous = bySession.put(sessionId, connection);
        return previous == connection ? null : previous;
    }

    Connection get(long sessionId) {
        return bySession.get(sessionId);
    }

    Connection unbind(long sessionId) {
        return bySession.remove(sessionId);
    }

    /** Unbinds only if the session is still bound to this connection (it may have moved on). */
    void unbind(long sessionId, Connection connection) {
        bySession.remove(sessionId, connection);
    }
}
