package io.corral.server.ops;

import io.corral.server.tree.DigestLog;

import java.io.File;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers ZooKeeper's four-letter words (ruok, srvr, stat, mntr, …) from a {@link ServerView}, on the sequencer
 * thread so that the figures of one answer agree with each other. Output follows ZooKeeper 3.9's text formats
 * (ZK_WIRE section 8).
 */
public final class FourLetterWordAnswers {
    private final ServerView server;
    private final Set<String> whitelist;

    public FourLetterWordAnswers(ServerView server) {
        this.server = server;
        this.whitelist = server.config().fourLetterWordWhitelist();
    }

    /**
     * The answer to a word; {@code asker} is the connection that asked, which ZooKeeper counts and lists among the
     * connections (it carries no session).
     */
    /**
     * Corral's own word: on the leader, hand leadership over to the most up-to-date follower; on a follower, ask the
     * leader to hand it over to this server.
     */
    private String xfer() {
        io.corral.server.quorum.Quorum quorum = server.quorum();
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

    public String answer(String word, ConnectionStats asker) {
        List<ConnectionStats> connections = new ArrayList<>(server.connections());
        connections.add(0, asker);
        return answer(word, connections);
    }

    private String answer(String word, List<ConnectionStats> connections) {
        if (!whitelist.contains(word)) {
            return word + " is not executed because it is not in the whitelist.\n";
        }
        if (!server.serving() && FourLetterWordList.SERVING_ONLY.contains(word)) {
            return "This ZooKeeper instance is not currently serving requests\n";
        }
        return switch (word) {
            case "ruok" -> "imok";
            case "isro" -> "rw";
            case "srvr" -> srvr(connections, false);
            case "stat" -> srvr(connections, true);
            case "cons" -> cons(connections);
            case "conf" -> Configuration.conf(server.config(), server.membership());
            case "envi" -> envi();
            case "mntr" -> lines(MonitorValues.of(server, connections.size()), '\t');
            case "wchs" -> wchs();
            case "wchc" -> wchc();
            case "wchp" -> wchp();
            case "dump" -> dump();
            case "dirs" -> dirs();
            case "hash" -> hash();
            case "crst" -> {
                server.resetConnectionStats();
                yield "Connection stats reset.\n";
            }
            case "srst" -> {
                server.stats().reset();
                yield "Server stats reset.\n";
            }
            case "gtmk" -> "0"; // Corral has no request tracing: nothing is traced
            case "xfer" -> xfer();
            default -> word + " is not supported by Corral.\n";
        };
    }

    private String srvr(List<ConnectionStats> connections, boolean withClients) {
        ServerStats stats = server.stats();
        StringBuilder out = new StringBuilder();
        out.append("Zookeeper version: ").append(MonitorValues.VERSION).append(", built by Corral\n");
        if (withClients) {
            out.append("Clients:\n");
            for (ConnectionStats c : connections) {
                out.append(' ').append(c.remoteAddress()).append("[1](queued=").append(c.queued()).append(",recved=")
                        .append(c.received()).append(",sent=").append(c.sent()).append(")\n");
            }
            out.append('\n');
        }
        Summary latency = stats.latency();
        out.append("Latency min/avg/max: ").append(latency.min()).append('/').append(latency.avg()).append('/')
                .append(latency.max()).append('\n');
        out.append("Received: ").append(stats.received()).append('\n');
        out.append("Sent: ").append(stats.sent()).append('\n');
        out.append("Connections: ").append(connections.size()).append('\n');
        out.append("Outstanding: ").append(server.outstanding()).append('\n');
        out.append("Zxid: 0x").append(Long.toHexString(server.lastZxid())).append('\n');
        out.append("Mode: ").append(server.mode()).append('\n');
        out.append("Node count: ").append(server.nodeCount()).append('\n');
        return out.toString();
    }

    private static String cons(List<ConnectionStats> connections) {
        StringBuilder out = new StringBuilder();
        for (ConnectionStats c : connections) {
            out.append(' ').append(c.remoteAddress()).append("[1](queued=").append(c.queued())
                    .append(",recved=").append(c.received()).append(",sent=").append(c.sent());
            if (c.hasSession()) {
                out.append(",sid=0x").append(Long.toHexString(c.sessionId()))
                        .append(",lop=").append(c.lastOperation())
                        .append(",est=").append(c.established())
                        .append(",to=").append(c.timeout())
                        .append(",lcxid=0x").append(Integer.toHexString(c.lastCxid()))
                        .append(",lzxid=0x").append(Long.toHexString(c.lastZxid()))
                        .append(",lresp=").append(c.lastResponse())
                        .append(",llat=").append(c.lastLatency())
                        .append(",minlat=").append(c.minLatency())
                        .append(",avglat=").append(c.avgLatency())
                        .append(",maxlat=").append(c.maxLatency());
            }
            out.append(")\n");
        }
        return out.append('\n').toString();
    }

    private static String lines(Map<String, ?> values, char separator) {
        StringBuilder out = new StringBuilder();
        values.forEach((key, value) -> out.append(key).append(separator).append(value).append('\n'));
        return out.toString();
    }

    private static String envi() {
        StringBuilder out = new StringBuilder("Environment:\n");
        Environment.properties().forEach((key, value) -> out.append(key).append('=').append(value).append('\n'));
        return out.toString();
    }

    private String wchs() {
        Map<String, Set<Long>> byPath = server.watchesByPath();
        return server.watchesBySession().size() + " connections watching " + byPath.size()
                + " paths\nTotal watches:" + WatchTotals.total(byPath) + "\n";
    }

    private String wchc() {
        StringBuilder out = new StringBuilder();
        server.watchesBySession().forEach((session, paths) -> {
            out.append("0x").append(Long.toHexString(session)).append('\n');
            paths.forEach(path -> out.append('\t').append(path).append('\n'));
        });
        return out.append('\n').toString();
    }

    private String wchp() {
        StringBuilder out = new StringBuilder();
        server.watchesByPath().forEach((path, sessions) -> {
            out.append(path).append('\n');
            sessions.forEach(session -> out.append("\t0x").append(Long.toHexString(session)).append('\n'));
        });
        return out.append('\n').toString(); // ZooKeeper ends the list with an empty line, even an empty list
    }

    private String dump() {
        Map<Long, List<Long>> buckets = server.sessionExpiryBuckets();
        StringBuilder out = new StringBuilder("SessionTracker dump:\nSession Sets (").append(buckets.size())
                .append(")/(").append(server.sessionCount()).append("):\n");
        buckets.forEach((time, ids) -> {
            out.append(ids.size()).append(" expire at ").append(new Date(time)).append(":\n");
            ids.forEach(id -> out.append("\t0x").append(Long.toHexString(id)).append('\n'));
        });
        Map<Long, Set<String>> ephemerals = server.ephemeralsBySession();
        out.append("ephemeral nodes dump:\nSessions with Ephemerals (").append(ephemerals.size()).append("):\n");
        ephemerals.forEach((id, paths) -> {
            out.append("0x").append(Long.toHexString(id)).append(":\n");
            paths.forEach(p -> out.append('\t').append(p).append('\n'));
        });
        out.append("Connections dump:\nConnections Sets (").append(server.connections().size()).append(")\n");
        return out.toString();
    }

    /** ZooKeeper's lines: the zxid in hex, the digest in decimal. */
    private String hash() {
        StringBuilder out = new StringBuilder();
        for (DigestLog.Entry entry : server.digests()) {
            out.append(Long.toHexString(entry.zxid())).append(": ").append(entry.digest()).append('\n');
        }
        return out.toString();
    }

    private String dirs() {
        return "datadir_size: " + directorySize(server.config().dataDir().toFile()) + "\nlogdir_size: "
                + directorySize(server.config().dataLogDir().toFile()) + "\n";
    }

    /** Bytes of the files under a directory, as dirs reports them. */
    public static long directorySize(File dir) {
        File[] files = dir.listFiles();
        long total = 0;
        if (files != null) {
            for (File f : files) {
                total += f.isDirectory() ? directorySize(f) : f.length();
            }
        }
        return total;
    }
}
