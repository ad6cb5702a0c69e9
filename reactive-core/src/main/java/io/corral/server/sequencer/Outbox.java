package io.corral.server.sequencer;

import io.corral.server.ops.ServerStats;

import java.util.ArrayList;
import java.util.List;

/**
 * Queues replies and notifications per connection during a sequencer batch and hands each touched connection to
 * its event loop once at the end of the batch: one wake-up per connection per batch, not per message.
 */
final class Outbox {
    private final List<Connection> touched = new ArrayList<>();
    private final ServerStats stats;

    Outbox(ServerStats stats) {
        this.stats = stats;
    }

    void send(Connection connection, Outbound message) {
        if (connection == null) {
            return;
        }
        ConnectionState state = connection.state();
        if (state.closed) {
            return;
        }
        connection.send(message);
        if (!state.dirty) {
            state.dirty = true;
            touched.add(connection);
        }
        if (message instanceof Outbound.Close) {
            state.closed = true;
        }
    }

    /** Sends the reply to a request and records its latency. */
    void reply(Request request, long zxid, int err, io.corral.protocol.Record body) {
        Connection connection = request.connection;
        if (connection == null) {
            return;
        }
        ConnectionState state = connection.state();
        long latencyMs = (System.nanoTime() - request.receivedNanos) / 1_000_000;
        state.sent++;
        state.lastOp = request.type;
        state.lastCxid = request.xid;
        state.lastZxid = zxid;
        state.lastResponseTime = System.currentTimeMillis();
        state.lastLatency = latencyMs;
        state.minLatency = Math.min(state.minLatency, latencyMs);
        state.maxLatency = Math.max(state.maxLatency, latencyMs);
        state.totalLatency += latencyMs;
        state.latencyCount++;
        stats.recordReply(request.type, latencyMs, Sequencer.isWrite(request.type));
        send(connection, new Outbound.Reply(request.xid, zxid, err, body));
    }

    void flush() {
        for (Connection connection : touched) {
            connection.state().dirty = false;
            connection.flush();
        }
        touched.clear();
    }
}
