package io.corral.server.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone server's settings, read from a ZooKeeper {@code zoo.cfg} (java.util.Properties syntax).
 * Key names and defaults follow ZooKeeper so existing files work unchanged; any invalid value throws a
 * {@link ConfigException} naming the key, because a server that starts with half its settings is worse than
 * one that refuses to start. Instances are immutable.
 */
public final class ServerConfig {

    private static final Logger LOG = LoggerFactory.getLogger(ServerConfig.class);
    private static final int MAX_INT = Integer.MAX_VALUE;

    private final int tickTime;
    private final Path dataDir;
    private final Path dataLogDir;
    private final InetSocketAddress clientAddress;
    private final int maxClientCnxns;
    private final int minSessionTimeout;
    private final int maxSessionTimeout;
    private final int globalOutstandingLimit;
    private final boolean extendedTypesEnabled;
    private final long containerCheckIntervalMs;
    private final int containerMaxPerMinute;
    private final long containerMaxNeverUsedIntervalMs;
    private final Set<String> fourLetterWordWhitelist;
    private final boolean forceSync;
    private final boolean digestEnabled;
    private final int snapCount;
    private final int snapRetainCount;
    private final int purgeIntervalHours;
    private final int juteMaxBuffer;
    private final String superDigest;
    private final boolean skipAcl;
    private final boolean enforceQuota;
    private final String idleStrategy;
    private final long clientOutboundLimitBytes;
    private final long clientSlowReaderTimeoutMs;
    private final long clientHoldDuringElectionMs;
    private final EnsembleConfig ensemble;
    private final MetricsProviderConfig metricsProvider;
    private final AdminServerConfig adminServer;
    private final TlsConfig tls;
    private final SaslConfig sasl;
    private final QuorumTlsConfig quorumTls;
    private final QuorumSaslConfig quorumSasl;
    private final String initialConfiguration;
    /** The zoo.cfg read, or null: a reconfiguration rewrites its dynamicConfigFile key, as ZooKeeper does. */
    private Path configFile;

    private ServerConfig(RawConfig raw, String initialConfiguration) {
        this.initialConfiguration = initialConfiguration;
        tickTime = raw.intValue("tickTime", 3000, 1, MAX_INT);
        dataDir = directory("dataDir", raw.string("dataDir"));
        String logDir = raw.string("dataLogDir");
        dataLogDir = logDir == null ? dataDir : directory("dataLogDir", logDir);

        ensemble = EnsembleConfig.parse(raw, dataDir);
        int port = raw.intValue("clientPort", 2181, 0, 65535);
        String host = raw.string("clientPortAddress");
        // Like ZooKeeper, listen on every interface unless the file says otherwise.
        InetAddress bind = host == null ? IpLiterals.parse("clientPortAddress", "0.0.0.0")
                : IpLiterals.parse("clientPortAddress", host);
        clientAddress = EnsembleConfig.clientAddress(ensemble, raw.string("clientPort") != null,
                new InetSocketAddress(bind, port));

        maxClientCnxns = raw.intValue("maxClientCnxns", 60, 0, MAX_INT);
        minSessionTimeout = sessionTimeout(raw, "minSessionTimeout", 2);
        maxSessionTimeout = sessionTimeout(raw, "maxSessionTimeout", 20);
        if (minSessionTimeout > maxSessionTimeout) {
            throw new ConfigException("minSessionTimeout", "minSessionTimeout (" + minSessionTimeout
                    + ") must not exceed maxSessionTimeout (" + maxSessionTimeout + ")");
        }
        globalOutstandingLimit = raw.intValue("globalOutstandingLimit", 1000, 1, MAX_INT);
        extendedTypesEnabled = RawConfig.bool(
                raw.string("extendedTypesEnabled", "zookeeper.extendedTypesEnabled"), "extendedTypesEnabled", false);

        containerCheckIntervalMs = raw.longValue("znode.container.checkIntervalMs", 60_000, 1);
        containerMaxPerMinute = raw.intValue("znode.container.maxPerMinute", 10_000, 1, MAX_INT);
        containerMaxNeverUsedIntervalMs = raw.longValue("znode.container.maxNeverUsedIntervalMs", 0, 0);

        fourLetterWordWhitelist = io.corral.server.ops.FourLetterWordList.parseWhitelist(raw.string("4lw.commands.whitelist"), LOG);
        forceSync = raw.bool("forceSync", true);
        digestEnabled = RawConfig.bool(raw.string("digest.enabled", "zookeeper.digest.enabled"), "digest.enabled",
                true);
        snapCount = raw.intValue("snapCount", 100_000, 2, MAX_INT);
        snapRetainCount = snapRetainCount(raw.intValue("autopurge.snapRetainCount", 3, Integer.MIN_VALUE, MAX_INT));
        purgeIntervalHours = raw.intValue("autopurge.purgeInterval", 0, 0, MAX_INT);
        juteMaxBuffer = raw.intValue("jute.maxbuffer", 0xFFFFF, 1, MAX_INT);
        superDigest = superDigest(raw.string(
                "DigestAuthenticationProvider.superDigest", "zookeeper.DigestAuthenticationProvider.superDigest"));
        skipAcl = raw.bool("skipACL", false);
        enforceQuota = raw.bool("enforceQuota", false);
        idleStrategy = idleStrategy(raw.string("idleStrategy"));
        clientOutboundLimitBytes = raw.longValue("clientOutboundLimitBytes", 16L << 20, 1);
        clientSlowReaderTimeoutMs = raw.longValue("clientSlowReaderTimeoutMs", 30_000, 0);
        clientHoldDuringElectionMs = raw.longValue("clientHoldDuringElectionMs", tickTime, 0);
        metricsProvider = MetricsProviderConfig.parse(raw);
        adminServer = AdminServerConfig.parse(raw);
        tls = TlsConfig.parse(raw);
        sasl = SaslConfig.parse(raw, tls.client() != null, System.getProperties());
        quorumTls = QuorumTlsConfig.parse(raw, ensemble != null, adminServer.tls() != null);
        quorumSasl = QuorumSaslConfig.parse(raw, System.getProperties());
    }

    private static String idleStrategy(String value) {
        String strategy = value == null ? "park" : value.toLowerCase(java.util.Locale.ROOT);
        if (!Set.of("park", "yield", "spin").contains(strategy)) {
            throw ConfigException.invalid("idleStrategy", value, "expected park, yield or spin");
        }
        return strategy;
    }

    /** A copy that differs only in the client port. */
    private ServerConfig(ServerConfig o, InetSocketAddress clientAddress) {
        tickTime = o.tickTime;
        dataDir = o.dataDir;
        dataLogDir = o.dataLogDir;
        this.clientAddress = clientAddress;
        maxClientCnxns = o.maxClientCnxns;
        minSessionTimeout = o.minSessionTimeout;
        maxSessionTimeout = o.maxSessionTimeout;
        globalOutstandingLimit = o.globalOutstandingLimit;
        extendedTypesEnabled = o.extendedTypesEnabled;
        containerCheckIntervalMs = o.containerCheckIntervalMs;
        containerMaxPerMinute = o.containerMaxPerMinute;
        containerMaxNeverUsedIntervalMs = o.containerMaxNeverUsedIntervalMs;
        fourLetterWordWhitelist = o.fourLetterWordWhitelist;
        forceSync = o.forceSync;
        digestEnabled = o.digestEnabled;
        snapCount = o.snapCount;
        snapRetainCount = o.snapRetainCount;
        purgeIntervalHours = o.purgeIntervalHours;
        juteMaxBuffer = o.juteMaxBuffer;
        superDigest = o.superDigest;
        skipAcl = o.skipAcl;
        enforceQuota = o.enforceQuota;
        idleStrategy = o.idleStrategy;
        clientOutboundLimitBytes = o.clientOutboundLimitBytes;
        clientSlowReaderTimeoutMs = o.clientSlowReaderTimeoutMs;
        clientHoldDuringElectionMs = o.clientHoldDuringElectionMs;
        ensemble = o.ensemble;
        metricsProvider = o.metricsProvider;
        adminServer = o.adminServer;
        tls = o.tls;
        sasl = o.sasl;
        quorumTls = o.quorumTls;
        quorumSasl = o.quorumSasl;
        initialConfiguration = o.initialConfiguration;
        configFile = o.configFile;
    }

    /**
     * Reads a zoo.cfg file, with ZooKeeper's system properties for the keys it leaves out ({@link SystemProperties}).
     * An unreadable file is a ConfigException whose key is the file's path.
     */
    public static ServerConfig load(Path zooCfg) {
        Properties props = new Properties();
        String text;
        try {
            text = Files.readString(zooCfg, StandardCharsets.UTF_8);
            try (Reader in = new StringReader(text)) {
                props.load(in);
            }
        } catch (IOException | IllegalArgumentException e) { // IAE: a malformed \\uXXXX escape
            throw new ConfigException(zooCfg.toString(), "Cannot read config file " + zooCfg + ": " + e, e);
        }
        Map<String, String> keys = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> keys.put(k, props.getProperty(k)));
        ServerConfig config = parse(SystemProperties.fill(keys, System.getProperties(), LOG), text);
        config.configFile = zooCfg.toAbsolutePath().normalize();
        return config;
    }

    /** The zoo.cfg this configuration was read from; null when it was built from keys. */
    public Path configFile() { return configFile; }

    /** Builds a config from raw key/value pairs; unknown keys are logged and ignored. */
    public static ServerConfig parse(Map<String, String> keys) {
        StringBuilder text = new StringBuilder();
        keys.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        return parse(keys, text.toString());
    }

    private static ServerConfig parse(Map<String, String> keys, String initialConfiguration) {
        RawConfig raw = new RawConfig(keys);
        ServerConfig config = new ServerConfig(raw, initialConfiguration);
        raw.reportUnread(LOG);
        return config;
    }

    /** What the server runs with when started without a file: local-only, data under the working directory. */
    public static ServerConfig embeddedDefaults() {
        // loopback only, the AdminServer too (ZooKeeper's default address for it is every interface)
        return parse(Map.of("tickTime", "2000", "clientPort", "2181", "clientPortAddress", "127.0.0.1",
                "dataDir", "./data", "admin.serverAddress", "127.0.0.1"));
    }

    /** A copy listening on another port (0 = an ephemeral port), on the same address. */
    public ServerConfig withClientPort(int port) {
        RawConfig.longValue(Integer.toString(port), "clientPort", 0, 0, 65535);
        return new ServerConfig(this, new InetSocketAddress(clientAddress.getAddress(), port));
    }

    private static Path directory(String key, String value) {
        if (value == null || value.isEmpty()) {
            throw new ConfigException(key, key + " is required (the directory for snapshots and the log)");
        }
        try {
            return Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw ConfigException.invalid(key, value, "not a valid path (" + e.getReason() + ")");
        }
    }

    /** -1 (or absent) means "derive from tickTime", as in ZooKeeper. */
    private int sessionTimeout(RawConfig raw, String key, int ticks) {
        int value = raw.intValue(key, -1, -1, MAX_INT);
        if (value == 0) {
            throw ConfigException.invalid(key, "0", "must be positive, or -1 for " + ticks + " * tickTime");
        }
        return value == -1 ? (int) Math.min(MAX_INT, (long) ticks * tickTime) : value;
    }

    // Keeping fewer than 3 snapshots risks having no usable one after a crash mid-snapshot; ZooKeeper raises it too.
    private static int snapRetainCount(int value) {
        if (value < 3) {
            LOG.warn("autopurge.snapRetainCount {} is below the minimum; using 3", value);
            return 3;
        }
        return value;
    }

    private static String superDigest(String value) {
        if (value != null) {
            int colon = value.indexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw ConfigException.invalid("DigestAuthenticationProvider.superDigest", value,
                        "expected user:base64digest");
            }
        }
        return value;
    }

    public int tickTime() { return tickTime; }
    public Path dataDir() { return dataDir; }
    public Path dataLogDir() { return dataLogDir; }
    public InetSocketAddress clientAddress() { return clientAddress; }
    public int maxClientCnxns() { return maxClientCnxns; }
    public int minSessionTimeout() { return minSessionTimeout; }
    public int maxSessionTimeout() { return maxSessionTimeout; }
    public int globalOutstandingLimit() { return globalOutstandingLimit; }
    public boolean extendedTypesEnabled() { return extendedTypesEnabled; }
    public long containerCheckIntervalMs() { return containerCheckIntervalMs; }
    public int containerMaxPerMinute() { return containerMaxPerMinute; }
    public long containerMaxNeverUsedIntervalMs() { return containerMaxNeverUsedIntervalMs; }
    public Set<String> fourLetterWordWhitelist() { return fourLetterWordWhitelist; }
    public boolean forceSync() { return forceSync; }
    /**
     * The configuration the server started with, as ZooKeeper's initial_configuration shows it: the zoo.cfg file's
     * text as it was read, or the keys it was given (embedded, tests) as zoo.cfg lines.
     */
    public String initialConfiguration() { return initialConfiguration; }
    /** zookeeper.digest.enabled (default true): whether the tree's digest is kept, for hash. */
    public boolean digestEnabled() { return digestEnabled; }
    public int snapCount() { return snapCount; }
    public int snapRetainCount() { return snapRetainCount; }
    public int purgeIntervalHours() { return purgeIntervalHours; }
    public int juteMaxBuffer() { return juteMaxBuffer; }
    /** The {@code user:base64(sha1(user:password))} that authenticates as super user, or null. */
    public String superDigest() { return superDigest; }
    public boolean skipAcl() { return skipAcl; }

    /** ZooKeeper's {@code enforceQuota}: hard quotas refuse writes past them with QUOTAEXCEEDED. */
    public boolean enforceQuota() { return enforceQuota; }

    /**
     * How the sequencer waits for work: {@code park} (default: spin briefly, yield, then park, so an idle server
     * uses no CPU), {@code yield} (never parks) or {@code spin} (busy-spins a core, lowest latency).
     */
    public String idleStrategy() { return idleStrategy; }

    /**
     * Bytes of replies one connection may have queued (counted at their encoded size) before the server stops
     * reading its requests.
     */
    public long clientOutboundLimitBytes() { return clientOutboundLimitBytes; }

    /** A client that reads none of its replies for this long is disconnected; 0 = never. */
    public long clientSlowReaderTimeoutMs() { return clientSlowReaderTimeoutMs; }

    /** How long a learner that lost its leader keeps its clients' connections open for the next one; 0 = close. */
    public long clientHoldDuringElectionMs() { return clientHoldDuringElectionMs; }

    /** Replicated mode's settings, or empty for a standalone server. */
    public java.util.Optional<EnsembleConfig> ensemble() { return java.util.Optional.ofNullable(ensemble); }

    /** The {@code metricsProvider.*} keys: whether and where Prometheus metrics are served. */
    public MetricsProviderConfig metricsProvider() { return metricsProvider; }

    /** The {@code admin.*} keys: whether and where the AdminServer runs. */
    public AdminServerConfig adminServer() { return adminServer; }

    /** The client ports' TLS settings ({@code secureClientPort}, {@code ssl.*}). */
    public TlsConfig tls() { return tls; }

    /** SASL logins (DIGEST-MD5), the sasl ACL scheme and enforce.auth. */
    public SaslConfig sasl() { return sasl; }

    /** The peer links' TLS settings ({@code sslQuorum}, {@code portUnification}, {@code ssl.quorum.*}). */
    public QuorumTlsConfig quorumTls() { return quorumTls; }

    /** Quorum SASL: how this server's peer links authenticate ({@link QuorumSaslConfig#OFF} without it). */
    public QuorumSaslConfig quorumSasl() { return quorumSasl; }

    /** The effective values for the {@code conf} four-letter word, in a fixed order. serverId is 0 standalone. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("clientPort", Integer.toString(clientAddress.getPort()));
        m.put("clientPortAddress", clientAddress.getAddress().getHostAddress());
        m.put("dataDir", dataDir.toString());
        m.put("dataLogDir", dataLogDir.toString());
        m.put("tickTime", Integer.toString(tickTime));
        m.put("maxClientCnxns", Integer.toString(maxClientCnxns));
        m.put("minSessionTimeout", Integer.toString(minSessionTimeout));
        m.put("maxSessionTimeout", Integer.toString(maxSessionTimeout));
        m.put("globalOutstandingLimit", Integer.toString(globalOutstandingLimit));
        m.put("extendedTypesEnabled", Boolean.toString(extendedTypesEnabled));
        m.put("forceSync", forceSync ? "yes" : "no");
        m.put("snapCount", Integer.toString(snapCount));
        m.put("autopurge.snapRetainCount", Integer.toString(snapRetainCount));
        m.put("autopurge.purgeInterval", Integer.toString(purgeIntervalHours));
        m.put("jute.maxbuffer", Integer.toString(juteMaxBuffer));
        m.put("serverId", ensemble == null ? "0" : Long.toString(ensemble.myId()));
        if (ensemble != null) {
            m.put("initLimit", Integer.toString(ensemble.initLimit()));
            m.put("syncLimit", Integer.toString(ensemble.syncLimit()));
            m.put("peerType", ensemble.isObserver() ? "observer" : "participant");
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return "ServerConfig" + asMap();
    }
}
