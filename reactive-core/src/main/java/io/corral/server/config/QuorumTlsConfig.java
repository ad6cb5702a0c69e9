package io.corral.server.config;

/**
 * The peer links' TLS, with ZooKeeper's keys: {@code sslQuorum} (links are dialed over TLS, and, without port
 * unification, only TLS is accepted), {@code portUnification} (the quorum port accepts TLS and plaintext, for a
 * rolling switch) and the {@code ssl.quorum.*} key and trust stores, protocols, cipher suites, client authentication
 * and hostname verification. {@code sslQuorumReloadCertFiles} (default true here, as {@code client.certReload})
 * turns the reload of changed key material off. Corral's peer protocol has one port (the quorum port), so these
 * secure every link between servers.
 */
public final class QuorumTlsConfig {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(QuorumTlsConfig.class);
    static final TlsConfig.Scope QUORUM = new TlsConfig.Scope("ssl.quorum.", "sslQuorum or portUnification",
            "the quorum does not use TLS (sslQuorum and portUnification off)", "sslQuorumReloadCertFiles", null,
            false);

    private final boolean sslQuorum;
    private final boolean portUnification;
    private final TlsConfig.Settings settings;

    private QuorumTlsConfig(boolean sslQuorum, boolean portUnification, TlsConfig.Settings settings) {
        this.sslQuorum = sslQuorum;
        this.portUnification = portUnification;
        this.settings = settings;
    }

    /** @param adminUsesStores the AdminServer serves HTTPS with the ssl.quorum.* stores (not to be warned about) */
    static QuorumTlsConfig parse(RawConfig raw, boolean replicated, boolean adminUsesStores) {
        boolean ssl = RawConfig.bool(raw.string("sslQuorum", "zookeeper.sslQuorum"), "sslQuorum", false);
        boolean unification = RawConfig.bool(raw.string("portUnification", "zookeeper.portUnification"),
                "portUnification", false);
        if ((ssl || unification) && !replicated) {
            LOG.warn("{} is set but this server is standalone: it has no peer links to secure",
                    ssl ? "sslQuorum" : "portUnification");
        }
        TlsConfig.Settings settings = ssl || unification ? TlsConfig.settings(raw, QUORUM)
                : adminUsesStores ? null : TlsConfig.unused(raw, QUORUM);
        return new QuorumTlsConfig(ssl, unification, settings);
    }

    /** Whether this server dials its peers over TLS ({@code sslQuorum}). */
    public boolean sslQuorum() { return sslQuorum; }

    /** Whether the quorum port takes both TLS and plaintext links ({@code portUnification}). */
    public boolean portUnification() { return portUnification; }

    /** The {@code ssl.quorum.*} settings, or null when neither switch is on (the peer links are plaintext). */
    public TlsConfig.Settings settings() { return settings; }
}
