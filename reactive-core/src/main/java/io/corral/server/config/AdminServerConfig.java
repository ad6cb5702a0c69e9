package io.corral.server.config;

import java.net.InetSocketAddress;

/**
 * ZooKeeper's {@code admin.*} keys: the AdminServer's HTTP endpoint ({@code GET <commandURL>/<command>}). As in
 * ZooKeeper, each key may also come as the system property {@code zookeeper.admin.<key>} (a packaged image's
 * {@code -D} flags), and a key in zoo.cfg wins over the property; by default the server runs on 0.0.0.0:8080.
 * {@code admin.rateLimiterIntervalInMS} (default 5 minutes; 0: no limit) spaces out the snapshot and restore
 * commands, each on its own; {@code admin.snapshot.enabled} and {@code admin.restore.enabled} turn them off.
 */
public record AdminServerConfig(boolean enabled, InetSocketAddress address, String commandUrl, long idleTimeoutMs,
        long rateLimiterIntervalMs, boolean snapshotEnabled, boolean restoreEnabled) {

    static AdminServerConfig parse(RawConfig raw) {
        boolean enabled = RawConfig.bool(value(raw, "admin.enableServer"), "admin.enableServer", true);
        String host = value(raw, "admin.serverAddress");
        int port = (int) RawConfig.longValue(value(raw, "admin.serverPort"), "admin.serverPort", 8080, 0, 65535);
        String url = value(raw, "admin.commandURL");
        long idle = RawConfig.longValue(value(raw, "admin.idleTimeout"), "admin.idleTimeout", 30_000, 1,
                Long.MAX_VALUE);
        String commandUrl = url == null ? "/commands" : url.startsWith("/") ? url : "/" + url;
        InetSocketAddress address = new InetSocketAddress(
                IpLiterals.parse("admin.serverAddress", host == null ? "0.0.0.0" : host), port);
        long rateLimiterInterval = RawConfig.longValue(value(raw, "admin.rateLimiterIntervalInMS"),
                "admin.rateLimiterIntervalInMS", 300_000, 0, Long.MAX_VALUE);
        boolean snapshot = RawConfig.bool(value(raw, "admin.snapshot.enabled"), "admin.snapshot.enabled", true);
        boolean restore = RawConfig.bool(value(raw, "admin.restore.enabled"), "admin.restore.enabled", true);
        return new AdminServerConfig(enabled, address, commandUrl, idle, rateLimiterInterval, snapshot, restore);
    }

    /** The zoo.cfg key, else ZooKeeper's system property for it. */
    private static String value(RawConfig raw, String key) {
        String configured = raw.string(key);
        return configured != null ? configured : System.getProperty("zookeeper." + key);
    }
}
