package io.corral.server.ops;

import io.corral.server.tree.DigestLog;
import io.corral.server.tree.TreeDigest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * ZooKeeper 3.9's AdminServer commands that Corral answers, in one list: each under its name and its short aliases,
 * whether it needs an authorised caller, and, for those that read the server, the fields of ZooKeeper's JSON
 * (snake_case names, the same meanings). A reading command runs on the sequencer thread against the
 * {@link ServerView}; ZooKeeper's {@code command} and {@code error} fields are added by the caller. Fields ZooKeeper
 * has about parts Corral does not have (TLS connections' counters, response caches) are left out rather than
 * answered with made-up values.
 */
public final class AdminCommands {

    /**
     * One command: its name, its aliases, whether the caller must hold every permission on the root node (as
     * ZooKeeper's AuthRequest), and what it reads; {@code run} is null for snapshot and restore, which stream files
     * instead ({@link BackupCommands}).
     */
    public record Command(String name, Set<String> aliases, boolean authRequired,
            Function<ServerView, Map<String, Object>> run) {

        Command(String name, Set<String> aliases, Function<ServerView, Map<String, Object>> run) {
            this(name, aliases, false, run);
        }

        /** Whether it answers from the server's view (every command but snapshot and restore). */
        public boolean readsView() {
            return run != null;
        }
    }

    /** The backup commands' names, which {@link AdminServer} routes to {@link BackupCommands}. */
    static final String SNAPSHOT = "snapshot";
    static final String RESTORE = "restore";

    private static final List<Command> COMMANDS = List.of(
            new Command("configuration", Set.of("conf", "config"), AdminCommands::configuration),
            new Command("connection_stat_reset", Set.of("crst"), server -> {
                server.resetConnectionStats();
                return new LinkedHashMap<>();
            }),
            new Command("connections", Set.of("cons"), AdminCommands::connections),
            new Command("dirs", Set.of(), AdminCommands::dirs),
            new Command("dump", Set.of(), AdminCommands::dump),
            new Command("environment", Set.of("env", "envi"), server -> new LinkedHashMap<>(Environment.properties())),
            new Command("get_trace_mask", Set.of("gtmk"), server -> fields("tracemask", 0L)), // nothing is traced
            new Command("hash", Set.of(), AdminCommands::hash),
            new Command("initial_configuration", Set.of("icfg"), server -> fields("initial_configuration",
                    server.config().initialConfiguration())),
            new Command("is_read_only", Set.of("isro"), server -> fields("read_only", false)),
            new Command("last_snapshot", Set.of("lsnp"), EnsembleCommands::lastSnapshot),
            new Command("leader", Set.of("lead"), EnsembleCommands::leader),
            new Command("monitor", Set.of("mntr"), AdminCommands::monitor),
            new Command("observer_connection_stat_reset", Set.of("orst"), server -> {
                server.quorum().resetObserverStats();
                return new LinkedHashMap<>();
            }),
            new Command("observers", Set.of("obsr"), EnsembleCommands::observers),
            new Command(RESTORE, Set.of("rest"), true, null),
            new Command("ruok", Set.of(), server -> new LinkedHashMap<>()),
            new Command("server_stats", Set.of("srvr"), server -> serverStats(server, false)),
            new Command(SNAPSHOT, Set.of("snap"), true, null),
            new Command("stat_reset", Set.of("srst"), server -> {
                server.stats().reset();
                return new LinkedHashMap<>();
            }),
            new Command("stats", Set.of("stat"), server -> serverStats(server, true)),
            new Command("system_properties", Set.of("sysp"), server -> {
                Map<String, Object> values = new TreeMap<>();
                System.getProperties().forEach((k, v) -> values.put(String.valueOf(k), String.valueOf(v)));
                return new LinkedHashMap<>(values);
            }),
            new Command("voting_view", Set.of(), EnsembleCommands::votingView),
            new Command("watch_summary", Set.of("wchs"), server -> fields("num_connections",
                    server.watchesBySession().size(), "num_paths", server.watchesByPath().size(),
                    "num_total_watches", WatchTotals.total(server.watchesByPath()))),
            new Command("watches", Set.of("wchc"), server -> fields("session_id_to_watched_paths",
                    server.watchesBySession())),
            new Command("watches_by_path", Set.of("wchp"), server -> fields("path_to_session_ids",
                    server.watchesByPath())),
            new Command("zabstate", Set.of(), EnsembleCommands::zabState));

    private AdminCommands() {
    }

    /** Every command, in name order, as {@code GET <commandURL>} lists them. */
    public static List<Command> all() {
        return COMMANDS;
    }

    /** The command with this name or alias. */
    public static Optional<Command> find(String nameOrAlias) {
        return COMMANDS.stream().filter(c -> c.name().equals(nameOrAlias) || c.aliases().contains(nameOrAlias))
                .findFirst();
    }

    private static Map<String, Object> fields(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static Map<String, Object> configuration(ServerView server) {
        Map<String, String> conf = Configuration.of(server.config());
        return fields("client_port", Integer.parseInt(conf.get("clientPort")),
                "data_dir", conf.get("dataDir"),
                "data_log_dir", conf.get("dataLogDir"),
                "tick_time", Integer.parseInt(conf.get("tickTime")),
                "max_client_cnxns", Integer.parseInt(conf.get("maxClientCnxns")),
                "min_session_timeout", Integer.parseInt(conf.get("minSessionTimeout")),
                "max_session_timeout", Integer.parseInt(conf.get("maxSessionTimeout")),
                "server_id", Long.parseLong(conf.get("serverId")),
                "client_port_listen_backlog", Integer.parseInt(conf.get("clientPortListenBacklog")));
    }

    private static Map<String, Object> connections(ServerView server) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ConnectionStats c : server.connections()) {
            Map<String, Object> connection = connection(c);
            if (c.hasSession()) {
                connection.putAll(fields("session_id", c.sessionId(), "last_operation", c.lastOperation(),
                        "established", c.established(), "session_timeout", c.timeout(),
                        "last_cxid", c.lastCxid(), "last_zxid", c.lastZxid(),
                        "last_response_time", c.lastResponse(), "last_latency", c.lastLatency(),
                        "min_latency", c.minLatency(), "avg_latency", c.avgLatency(), "max_latency", c.maxLatency()));
            }
            list.add(connection);
        }
        return fields("connections", list, "secure_connections", List.of());
    }

    /** A connection as stats lists it; connections adds its session's figures. */
    private static Map<String, Object> connection(ConnectionStats c) {
        return fields("remote_socket_address", c.remoteAddress().startsWith("/") ? c.remoteAddress().substring(1)
                        : c.remoteAddress(),
                "outstanding_requests", c.queued(),
                "packets_received", c.received(),
                "packets_sent", c.sent());
    }

    private static Map<String, Object> dirs(ServerView server) {
        return fields("datadir_size", FourLetterWordAnswers.directorySize(server.config().dataDir().toFile()),
                "logdir_size", FourLetterWordAnswers.directorySize(server.config().dataLogDir().toFile()));
    }

    /** ZooKeeper's digest log as its JSON has it: zxid, digest_version and digest, numbers. */
    private static Map<String, Object> hash(ServerView server) {
        List<Map<String, Object>> digests = new ArrayList<>();
        for (DigestLog.Entry entry : server.digests()) {
            digests.add(fields("zxid", entry.zxid(), "digest_version", TreeDigest.VERSION, "digest", entry.digest()));
        }
        return fields("digests", digests);
    }

    private static Map<String, Object> dump(ServerView server) {
        return fields("expiry_time_to_session_ids", server.sessionExpiryBuckets(),
                "session_id_to_ephemeral_paths", server.ephemeralsBySession());
    }

    private static Map<String, Object> monitor(ServerView server) {
        Map<String, Object> values = new LinkedHashMap<>();
        MonitorValues.of(server, server.connections().size()).forEach((key, value) -> values.put(
                key.startsWith("zk_") ? key.substring(3) : key, jsonNumber(value)));
        return values;
    }

    /** mntr prints averages as text with four decimals; JSON has them as numbers, as ZooKeeper's does. */
    private static Object jsonNumber(Object value) {
        if (value instanceof String text && text.matches("-?[0-9]+\\.[0-9]+")) {
            return Double.parseDouble(text);
        }
        return value;
    }

    private static Map<String, Object> serverStats(ServerView server, boolean withConnections) {
        ServerStats stats = server.stats();
        Summary latency = stats.latency();
        Map<String, Object> serverStats = fields(
                "packets_sent", stats.sent(),
                "packets_received", stats.received(),
                "provider_null", false,
                "data_dir_size", FourLetterWordAnswers.directorySize(server.config().dataDir().toFile()),
                "log_dir_size", FourLetterWordAnswers.directorySize(server.config().dataLogDir().toFile()),
                "last_processed_zxid", server.lastZxid(),
                "outstanding_requests", server.outstanding(),
                "server_state", server.mode(),
                "avg_latency", Double.parseDouble(latency.avg()),
                "max_latency", latency.max(),
                "min_latency", latency.min(),
                "num_alive_client_connections", server.connections().size(),
                "uptime", stats.uptimeMillis(),
                "auth_failed_count", stats.authFailed());
        Map<String, Object> result = fields("version", MonitorValues.VERSION, "read_only", false,
                "server_stats", serverStats, "node_count", server.nodeCount());
        if (withConnections) {
            List<Map<String, Object>> brief = new ArrayList<>();
            for (ConnectionStats c : server.connections()) {
                brief.add(connection(c));
            }
            result.put("connections", brief);
            result.put("secure_connections", List.of());
        }
        return result;
    }
}
