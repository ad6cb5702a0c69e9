package io.corral.server.ops;

/**
 * One client connection's figures as cons and stat print them; latencies in ms. {@code sessionId} is 0 and
 * {@code timeout} -1 while the connection carries no session.
 */
public record ConnectionStats(String remoteAddress, int queued, long received, long sent, long sessionId,
        String lastOperation, long established, int timeout, int lastCxid, long lastZxid, long lastResponse,
        long lastLatency, long minLatency, long avgLatency, long maxLatency) {

    public boolean hasSession() {
        return sessionId != 0 && timeout >= 0;
    }
}
