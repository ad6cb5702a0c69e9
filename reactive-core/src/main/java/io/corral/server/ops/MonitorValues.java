package io.corral.server.ops;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server's figures under ZooKeeper 3.9's mntr names (and the admin command monitor's), plus Corral's own under a
 * {@code corral_} prefix. Only figures Corral really has: ZooKeeper's keys about its own request-processor pipeline
 * (commit processor queues, response caches, …) have no counterpart here and are left out rather than printed as 0.
 */
public final class MonitorValues {
    public static final String VERSION = "3.9.5-corral-0.1.0";

    private MonitorValues() {
    }

    /**
     * Key to value, in mntr's order; called on the sequencer thread. {@code connections} as ZooKeeper counts them:
     * those of the clients plus one asking a four-letter word.
     */
    public static Map<String, Object> of(ServerView server, int connections) {
        ServerStats stats = server.stats();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("zk_version", VERSION);
        values.put("zk_server_state", server.mode());
        stats.putLatencyInto(values);
        values.put("zk_packets_received", stats.received());
        values.put("zk_packets_sent", stats.sent());
        values.put("zk_num_alive_connections", connections);
        values.put("zk_outstanding_requests", server.outstanding());
        values.put("zk_znode_count", server.nodeCount());
        values.put("zk_watch_count", server.watchCount());
        values.put("zk_ephemerals_count", server.ephemeralCount());
        values.put("zk_approximate_data_size", server.approximateDataSize());
        values.put("zk_global_sessions", server.sessionCount());
        values.put("zk_auth_failed_count", stats.authFailed());
        values.put("zk_uptime", stats.uptimeMillis());
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            values.put("zk_open_file_descriptor_count", unix.getOpenFileDescriptorCount());
            values.put("zk_max_file_descriptor_count", unix.getMaxFileDescriptorCount());
        }
        values.putAll(server.quorumFigures());
        for (Summary summary : stats.summaries()) {
            summary.putInto(values);
        }
        values.put("corral_last_zxid", "0x" + Long.toHexString(server.lastZxid()));
        values.put("corral_outbound_backlog_bytes", server.outboundBacklogBytes()); // what clients have yet to read
        return values;
    }
}
