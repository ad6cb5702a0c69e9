package io.corral.server.ops;

import java.util.Map;

/**
 * Server-wide request figures under ZooKeeper's names: packets in and out, request latency overall, of reads and of
 * updates, failed authentications. Written by the sequencer thread only; read by the operators' side.
 */
public final class ServerStats {
    private final long startedAt = System.currentTimeMillis();
    private volatile long received;
    private volatile long sent;
    private volatile long authFailed;
    private final Summary latency = new Summary("latency");
    private final Summary readLatency = new Summary("readlatency");
    private final Summary updateLatency = new Summary("updatelatency");
    private final Summary fsyncTime = new Summary("fsynctime");
    private final Summary snapshotTime = new Summary("snapshottime");
    private final Summary electionTime = new Summary("election_time");
    private volatile ReplyListener replyListener = (op, latencyMs) -> { };

    /** Hears every reply: its request's opcode and latency (the metrics' per-operation latencies). */
    public interface ReplyListener {
        void replied(int op, long latencyMs);
    }

    public void recordRequest() {
        received++;
    }

    /** A request was answered after {@code latencyMs}; an update is a request that went through the write path. */
    public void recordReply(int op, long latencyMs, boolean update) {
        sent++;
        latency.record(latencyMs);
        (update ? updateLatency : readLatency).record(latencyMs);
        replyListener.replied(op, latencyMs);
    }

    public void onReply(ReplyListener listener) {
        replyListener = listener;
    }

    /** A packet sent besides a reply: a watch notification, a four-letter word's answer (ZooKeeper counts both). */
    public void recordPacketSent() {
        sent++;
    }

    public void recordAuthFailure() {
        authFailed++;
    }

    /** srst: everything but the uptime starts again from zero. */
    public void reset() {
        received = 0;
        sent = 0;
        authFailed = 0;
        latency.reset();
        readLatency.reset();
        updateLatency.reset();
        fsyncTime.reset();
    }

    public long received() {
        return received;
    }

    public long sent() {
        return sent;
    }

    public long authFailed() {
        return authFailed;
    }

    public long uptimeMillis() {
        return System.currentTimeMillis() - startedAt;
    }

    public Summary latency() {
        return latency;
    }

    public Summary readLatency() {
        return readLatency;
    }

    public Summary updateLatency() {
        return updateLatency;
    }

    /** How long the log took to force a batch to disk, in ms (the log's thread writes it). */
    public Summary fsyncTime() {
        return fsyncTime;
    }

    /** How long a snapshot took to write, in ms (the snapshot thread writes it, one snapshot at a time). */
    public Summary snapshotTime() {
        return snapshotTime;
    }

    /** How long an ensemble member looked for a leader, in ms (the sequencer thread writes it). */
    public Summary electionTime() {
        return electionTime;
    }

    /** The summaries mntr prints in ZooKeeper's five-line form, and /metrics as Prometheus summaries. */
    public java.util.List<Summary> summaries() {
        return java.util.List.of(readLatency, updateLatency, fsyncTime, snapshotTime, electionTime);
    }

    void putLatencyInto(Map<String, Object> values) {
        values.put("zk_avg_latency", latency.avg());
        values.put("zk_max_latency", latency.max());
        values.put("zk_min_latency", latency.min());
    }
}
