package io.corral.server.sequencer;

/** Server-wide request figures for the four-letter words. Written by the sequencer thread only. */
public final class ServerStats {
    private long received;
    private long sent;
    private long minLatency = Long.MAX_VALUE;
    private long maxLatency;
    private long totalLatency;
    private long count;

    void recordRequest() {
        received++;
    }

    void recordReply(long latencyMs) {
        sent++;
        count++;
        totalLatency += latencyMs;
        minLatency = Math.min(minLatency, latencyMs);
        maxLatency = Math.max(maxLatency, latencyMs);
    }

    void recordNotification() {
        sent++;
    }

    public void reset() {
        received = 0;
        sent = 0;
        minLatency = Long.MAX_VALUE;
        maxLatency = 0;
        totalLatency = 0;
        count = 0;
    }

    public long received() {
        return received;
    }

    public long sent() {
        return sent;
    }

    public long minLatency() {
        return count == 0 ? 0 : minLatency;
    }

    public long maxLatency() {
        return maxLatency;
    }

    /** Average latency in ms with the precision ZooKeeper prints. */
    public String avgLatency() {
        return count == 0 ? "0.0" : String.format(java.util.Locale.ROOT, "%.4f", (double) totalLatency / count);
    }
}
