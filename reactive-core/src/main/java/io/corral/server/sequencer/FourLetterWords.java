package io.corral.server.sequencer;

import io.corral.protocol.OpCode;
import io.corral.server.config.ServerConfig;
import io.corral.server.session.Session;

import java.io.File;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers ZooKeeper's four-letter words (ruok, srvr, stat, mntr, …) from the sequencer's own state, so the
 * figures are consistent with each other. Output follows ZooKeeper's text formats (ZK_WIRE section 8).
 */
final class FourLetterWords {
    static final String VERSION = "3.9.5-corral-0.1.0";

    private final Sequencer sequencer;
    private final ServerConfig config;
    private final Set<String> whitelist;

    FourLetterWords(Sequencer sequencer, ServerConfig config) {
        this.sequencer = sequencer;
        this.config = config;
        this.whitelist = config.fourLetterWordWhitelist();
    }

    /** Words that a ZooKeeper server outside of a quorum refuses to answer. */
    private static final java.util.Set<String> SERVING_ONLY = java.util.Set.of("srvr", "stat", "cons", "mntr", "wchs",
            "wchc", "wchp", "dump", "crst", "srst");

    String answer(String word) {
        if (!whitelist.contains(word)) {
            return word + " is not executed because it is not in the whitelist.\n";
        }
        if (!sequencer.serving() && SERVING_ONLY.contains(word)) {
            return "This ZooKeeper instance is not currently serving requests\n";
        }
        return switch (word) {
            case "ruok" -> "imok";
            case "isro" -> "rw";
            case "srvr" -> srvr(false);
            case "stat" -> srvr(true);
            case "cons" -> cons();
            case "conf" -> conf();
            case "envi" -> envi();
            case "mntr" -> mntr();
            case "wchs" -> wchs();
            case "wchc" -> wchc();
            case "wchp" -> wchp();
            case "dump" -> dump();
            case "dirs" -> "datadir_size: " + size(config.dataDir().toFile()) + "\nlogdir_size: "
                    + size(config.dataLogDir().toFile()) + "\n";
            case "crst" -> {
                for (Connection connection : sequencer.connections) {
                    resetConnection(connection.state());
                }
                yield "Connection stats reset.\n";
            }
            case "srst" -> {
                sequencer.stats.reset();
                yield "Server stats reset.\n";
            }
            case "gtmk" -> "0";
            case "xfer" -> xfer();
            default -> word + " is not supported by Corral.\n";
        };
    }

    /**
     * Corral's own word: on the leader, hand leadership over to the most up-to-date follower; on a follower, ask the
     * leader to hand it over to this server.
     */
    private String xfer() {
        io.corral.server.quorum.Quorum quorum = sequencer.quorum();
        try {
            if (quorum.leads()) {
                return "Handing leadership over to server " + quorum.transferLeadership(-1) + "\n";
            }
            quorum.requestLeadership();
            return "Asked the leader to hand leadership over to this server\n";
        } catch (IllegalStateException | IllegalArgumentException e) {
            return "Leadership not transferred: " + e.getMessage() + "\n";
        }
    }

    private String srvr(boolean withClients) {
        ServerStats stats = sequencer.stats;
        StringBuilder out = new StringBuilder();
        out.append("Zookeeper version: ").append(VERSION).append(", built by Corral\n");
        if (withClients) {
            out.append("Clients:\n");
            for (Connection connection : sequencer.connections) {
                ConnectionState state = connection.state();
                out.append(' ').append(connection.remoteAddress()).append("[1](queued=")
                        .append(state.waiting.size()).append(",recved=").append(state.received).append(",sent=")
                        .append(state.sent).append(")\n");
            }
            out.append('\n');
        }
        out.append("Latency min/avg/max: ").append(stats.minLatency()).append('/').append(stats.avgLatency())
                .append('/').append(stats.maxLatency()).append('\n');
        out.append("Received: ").append(stats.received()).append('\n');
        out.append("Sent: ").append(stats.sent()).append('\n');
        out.append("Connections: ").append(sequencer.connections.size()).append('\n');
        out.append("Outstanding: ").append(sequencer.outstanding()).append('\n');
        out.append("Zxid: 0x").append(Long.toHexString(sequencer.tree.lastAppliedZxid())).append('\n');
        out.append("Mode: ").append(sequencer.mode()).append('\n');
        out.append("Node count: ").append(sequencer.tree.nodeCount()).append('\n');
        return out.toString();
    }

    private String cons() {
        StringBuilder out = new StringBuilder();
        for (Connection connection : sequencer.connections) {
            ConnectionState s = connection.state();
            out.append(' ').append(connection.remoteAddress()).append("[1](queued=").append(s.waiting.size())
                    .append(",recved=").append(s.received).append(",sent=").append(s.sent);
            Session session = sequencer.sessions.get(s.sessionId);
            if (session != null) {
                out.append(",sid=0x").append(Long.toHexString(s.sessionId))
                        .append(",lop=").append(s.lastOp < -1000 ? "NA" : OpCode.name(s.lastOp))
                        .append(",est=").append(s.establishedAt)
                        .append(",to=").append(session.timeout())
                        .append(",lcxid=0x").append(Integer.toHexString(s.lastCxid))
                        .append(",lzxid=0x").append(Long.toHexString(s.lastZxid))
                        .append(",lresp=").append(s.lastResponseTime)
                        .append(",llat=").append(s.lastLatency)
                        .append(",minlat=").append(s.latencyCount == 0 ? 0 : s.minLatency)
                        .append(",avglat=").append(s.latencyCount == 0 ? 0 : s.totalLatency / s.latencyCount)
                        .append(",maxlat=").append(s.maxLatency);
            }
            out.append(")\n");
        }
        return out.append('\n').toString();
    }

    private static void resetConnection(ConnectionState s) {
        s.received = 0;
        s.sent = 0;
        s.minLatency = Long.MAX_VALUE;
        s.maxLatency = 0;
        s.totalLatency = 0;
        s.latencyCount = 0;
        s.lastLatency = 0;
    }

    private String conf() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : config.asMap().entrySet()) {
            out.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        return out.toString();
    }

    private String envi() {
        StringBuilder out = new StringBuilder("Environment:\n");
        out.append("zookeeper.version=").append(VERSION).append('\n');
        String host;
        try {
            host = InetAddress.getLoopbackAddress().getHostName();
        } catch (RuntimeException e) {
            host = "<NA>";
        }
        out.append("host.name=").append(host).append('\n');
        for (String key : List.of("java.version", "java.vendor", "java.home", "java.class.path",
                "java.library.path", "java.io.tmpdir", "os.name", "os.arch", "os.version", "user.name",
                "user.home", "user.dir")) {
            out.append(key).append('=').append(System.getProperty(key, "<NA>")).append('\n');
        }
        Runtime rt = Runtime.getRuntime();
        out.append("os.memory.free=").append(rt.freeMemory() / (1024 * 1024)).append("MB\n");
        out.append("os.memory.max=").append(rt.maxMemory() / (1024 * 1024)).append("MB\n");
        out.append("os.memory.total=").append(rt.totalMemory() / (1024 * 1024)).append("MB\n");
        return out.toString();
    }

    private String mntr() {
        ServerStats stats = sequencer.stats;
        StringBuilder out = new StringBuilder();
        line(out, "zk_version", VERSION);
        line(out, "zk_server_state", sequencer.mode());
        line(out, "zk_avg_latency", stats.avgLatency());
        line(out, "zk_max_latency", stats.maxLatency());
        line(out, "zk_min_latency", stats.minLatency());
        line(out, "zk_packets_received", stats.received());
        line(out, "zk_packets_sent", stats.sent());
        line(out, "zk_num_alive_connections", sequencer.connections.size());
        line(out, "zk_outstanding_requests", sequencer.outstanding());
        line(out, "zk_znode_count", sequencer.tree.nodeCount());
        line(out, "zk_watch_count", sequencer.watches.watchCount());
        line(out, "zk_ephemerals_count", sequencer.tree.ephemeralCount());
        line(out, "zk_approximate_data_size", sequencer.tree.approximateDataSize());
        line(out, "zk_global_sessions", sequencer.sessions.size());
        line(out, "zk_last_zxid", "0x" + Long.toHexString(sequencer.tree.lastAppliedZxid()));
        sequencer.quorumFigures().forEach((key, value) -> line(out, key, value));
        long backlog = 0;
        for (Connection connection : sequencer.connections) {
            backlog += connection.backlogBytes();
        }
        line(out, "corral_outbound_backlog_bytes", backlog); // Corral's own: what clients have yet to read
        return out.toString();
    }

    private static void line(StringBuilder out, String key, Object value) {
        out.append(key).append('\t').append(value).append('\n');
    }

    private String wchs() {
        return sequencer.watches.watcherCount() + " connections watching " + sequencer.watches.pathCount()
                + " paths\nTotal watches:" + sequencer.watches.watchCount() + "\n";
    }

    private String wchc() {
        StringBuilder out = new StringBuilder();
        for (Connection connection : sequencer.watches.watchers()) {
            out.append("0x").append(Long.toHexString(connection.state().sessionId)).append('\n');
            for (String path : sequencer.watches.pathsOf(connection)) {
                out.append('\t').append(path).append('\n');
            }
        }
        return out.append('\n').toString();
    }

    private String wchp() {
        StringBuilder out = new StringBuilder();
        sequencer.watches.watchersByPath().forEach((path, watchers) -> {
            out.append(path).append('\n');
            for (Connection connection : watchers) {
                out.append("\t0x").append(Long.toHexString(connection.state().sessionId)).append('\n');
            }
        });
        return out.append('\n').toString(); // ZooKeeper ends the list with an empty line, even an empty list
    }

    private String dump() {
        StringBuilder out = new StringBuilder("SessionTracker dump:\nSession Sets (")
                .append(sequencer.sessions.expiryBuckets().size()).append(")/(")
                .append(sequencer.sessions.size()).append("):\n");
        sequencer.sessions.expiryBuckets().forEach((time, ids) -> {
            out.append(ids.size()).append(" expire at ").append(time).append(":\n");
            ids.forEach(id -> out.append("\t0x").append(Long.toHexString(id)).append('\n'));
        });
        Map<Long, Set<String>> ephemerals = sequencer.tree.ephemeralsBySession();
        out.append("ephemeral nodes dump:\nSessions with Ephemerals (").append(ephemerals.size()).append("):\n");
        ephemerals.forEach((id, paths) -> {
            out.append("0x").append(Long.toHexString(id)).append(":\n");
            paths.forEach(p -> out.append('\t').append(p).append('\n'));
        });
        out.append("Connections dump:\nConnections Sets (").append(sequencer.connections.size()).append(")\n");
        return out.toString();
    }

    private static long size(File dir) {
        File[] files = dir.listFiles();
        long total = 0;
        if (files != null) {
            for (File f : files) {
                total += f.isDirectory() ? size(f) : f.length();
            }
        }
        return total;
    }
}
