package io.corral.server.config;

import java.net.InetSocketAddress;

/**
 * ZooKeeper's {@code admin.*} keys: the AdminServer's HTTP endpoint ({@code GET <commandURL>/<command>}). As in
 * ZooKeeper, each key may also come as the system property {@code zookeeper.admin.<key>} (a packaged image's
 * {@code -D} flags), and a key in zoo.cfg wins over the property; by default the server runs on 0.0.0.0:8080.
 * {@code admin.rateLimiterIntervalInMS} (default 5 minutes; 0: no limit) spaces out the snapshot and restore
 * commands, each on its own; {@code admin.snapshot.enabled} and {@code admin.restore.enabled} turn them off.
 *
 * <p>TLS as ZooKeeper 3.9's Jetty AdminServer has it: {@code admin.forceHttps} (HTTPS only) or
 * {@code admin.portUnification} (HTTPS and HTTP on the one port), with the quorum's key and trust stores
 * ({@code ssl.quorum.keyStore.*}, {@code ssl.quorum.trustStore.*}, as ZooKeeper's QuorumX509Util reads them) and
 * {@code admin.needClientAuth} (default false: no client certificate is asked for; true: one is required, and the
 * snapshot and restore commands accept {@code Authorization: x509} from it).
 *
 * @param tls the HTTPS settings, null when neither forceHttps nor portUnification is on
 */
public record AdminServerConfig(boolean enabled, InetSocketAddress address, String commandUrl, long idleTimeoutMs,
        long rateLimiterIntervalMs, boolean snapshotEnabled, boolean restoreEnabled, boolean forceHttps,
        boolean portUnification, TlsConfig.Settings tls) {

    /** ZooKeeper's AdminServer reads the quorum's stores; the rest of the endpoint keys are not its. */
    static final TlsConfig.Scope ADMIN = new TlsConfig.Scope("ssl.quorum.", "admin.forceHttps or admin.portUnification",
            "the AdminServer does not use TLS", "sslQuorumReloadCertFiles", null, false);

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
        boolean forceHttps = RawConfig.bool(value(raw, "admin.forceHttps"), "admin.forceHttps", false);
        boolean unification = RawConfig.bool(value(raw, "admin.portUnification"), "admin.portUnification", false);
        boolean needClientAuth = RawConfig.bool(value(raw, "admin.needClientAuth"), "admin.needClientAuth", false);
        TlsConfig.Settings tls = null;
        if (forceHttps || unification) {
            TlsConfig.Settings stores = TlsConfig.settings(raw, ADMIN);
            tls = new TlsConfig.Settings(stores.keyStore(), stores.trustStore(),
                    needClientAuth ? TlsConfig.ClientAuth.NEED : TlsConfig.ClientAuth.NONE, stores.protocol(),
                    stores.enabledProtocols(), stores.cipherSuites(), false, false, stores.provider(),
                    stores.handshakeTimeoutMs(), raw.string("X509AuthenticationProvider.superUser",
                            "zookeeper.X509AuthenticationProvider.superUser"), stores.reloadOnChange(),
                    stores.prefix());
        } else if (needClientAuth) {
            throw new ConfigException("admin.needClientAuth", "admin.needClientAuth asks for client certificates, "
                    + "but the AdminServer does not use TLS (admin.forceHttps and admin.portUnification off)");
        }
        return new AdminServerConfig(enabled, address, commandUrl, idle, rateLimiterInterval, snapshot, restore,
                forceHttps, unification, tls);
    }

    /** The zoo.cfg key, else ZooKeeper's system property for it. */
    private static String value(RawConfig raw, String key) {
        String configured = raw.string(key);
        return configured != null ? configured : System.getProperty("zookeeper." + key);
    }
}
