package io.corral.server.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The client port's TLS settings, with ZooKeeper's keys: {@code secureClientPort}, {@code secureClientPortAddress},
 * {@code client.portUnification}, the {@code ssl.*} key and trust stores, protocols, cipher suites, client
 * authentication and hostname verification, {@code ssl.sslProvider}, and the x509 super user. Keys ZooKeeper
 * reads as system properties are also accepted with their {@code zookeeper.} prefix. {@code client.certReload}
 * (default true here) turns the reload of changed key material off.
 */
public final class TlsConfig {
    static final String NETTY_FACTORY = "org.apache.zookeeper.server.NettyServerCnxnFactory";
    static final String NIO_FACTORY = "org.apache.zookeeper.server.NIOServerCnxnFactory";
    static final String X509_PROVIDER = "org.apache.zookeeper.server.auth.X509AuthenticationProvider";
    /** The built-in providers Corral has: naming them in {@code authProvider.N} asks for nothing new. */
    private static final List<String> BUILT_IN_PROVIDERS = List.of(X509_PROVIDER,
            "org.apache.zookeeper.server.auth.DigestAuthenticationProvider",
            "org.apache.zookeeper.server.auth.IPAuthenticationProvider", SaslConfig.PROVIDER);

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TlsConfig.class);
    /** The keys, after their prefix, of a TLS endpoint (client port or quorum). */
    private static final List<String> ENDPOINT_KEYS = List.of("keyStore.location", "keyStore.password",
            "keyStore.passwordPath", "keyStore.type", "trustStore.location", "trustStore.password",
            "trustStore.passwordPath", "trustStore.type", "clientAuth", "protocol", "enabledProtocols", "ciphersuites",
            "hostnameVerification", "clientHostnameVerification", "sslProvider", "handshakeDetection.timeoutMillis");

    /**
     * What tells the client port's TLS keys from the quorum's: their prefix ({@code ssl.}, {@code ssl.quorum.}),
     * the switches that turn them on and what it means when they are off (for messages), the key that turns
     * reloading off, and whether connections get x509 identities (client port only: {@code ssl.authProvider} and
     * the x509 super user).
     */
    record Scope(String prefix, String enabledBy, String whenOff, String reloadKey, String reloadAlias,
                 boolean x509Identities) {
    }

    static final Scope CLIENT = new Scope("ssl.", "secureClientPort or client.portUnification",
            "no client port uses TLS (no secureClientPort, client.portUnification off)", "client.certReload",
            "zookeeper.client.certReload", true);

    /** Whether a client must, may or must not present a certificate ({@code ssl.clientAuth}). */
    public enum ClientAuth { NEED, WANT, NONE }

    /** Which TLS implementation serves ({@code ssl.sslProvider}). */
    public enum Provider { JDK, OPENSSL }

    /** A key or trust store file: its path, password (empty when none) and type (PKCS12, JKS or PEM). */
    public record Store(Path location, char[] password, String type) {
        @Override
        public String toString() {
            return type + " " + location;
        }
    }

    /** Everything a TLS endpoint is built from. {@code trustStore} null = the JDK's default trust. */
    public record Settings(Store keyStore, Store trustStore, ClientAuth clientAuth, String protocol,
                           List<String> enabledProtocols, List<String> cipherSuites, boolean hostnameVerification,
                           boolean clientHostnameVerification, Provider provider, long handshakeTimeoutMs,
                           String x509SuperUser, boolean reloadOnChange, String prefix) {
    }

    private final InetSocketAddress secureClientAddress;
    private final boolean plaintextClientPort;
    private final boolean portUnification;
    private final Settings client;

    private TlsConfig(InetSocketAddress secureClientAddress, boolean plaintextClientPort, boolean portUnification,
                      Settings client) {
        this.secureClientAddress = secureClientAddress;
        this.plaintextClientPort = plaintextClientPort;
        this.portUnification = portUnification;
        this.client = client;
    }

    static TlsConfig parse(RawConfig raw) {
        String factory = raw.string("serverCnxnFactory", "zookeeper.serverCnxnFactory");
        if (factory != null && !factory.equals(NETTY_FACTORY) && !factory.equals(NIO_FACTORY)) {
            throw ConfigException.invalid("serverCnxnFactory", factory, "Corral serves clients with Netty; expected "
                    + NETTY_FACTORY);
        }
        raw.matching(java.util.regex.Pattern.compile("(zookeeper\\.)?authProvider\\..*")).forEach((k, v) -> {
            if (!BUILT_IN_PROVIDERS.contains(v)) {
                throw new ConfigException(k, "Authentication provider " + k + "=" + v
                        + " is not supported by Corral (it has digest, ip, x509 and sasl)");
            }
        });
        int securePort = raw.intValue("secureClientPort", 0, 0, 65535);
        String secureHost = raw.string("secureClientPortAddress");
        boolean unification = RawConfig.bool(raw.string("client.portUnification", "zookeeper.client.portUnification"),
                "client.portUnification", false);
        boolean secure = raw.string("secureClientPort") != null;
        if (!secure && secureHost != null) {
            throw new ConfigException("secureClientPortAddress", "secureClientPortAddress is set but secureClientPort"
                    + " is not");
        }
        InetSocketAddress address = !secure ? null : new InetSocketAddress(
                IpLiterals.parse("secureClientPortAddress", secureHost == null ? "0.0.0.0" : secureHost), securePort);
        Settings settings = secure || unification ? settings(raw, CLIENT) : unused(raw, CLIENT);
        // as in ZooKeeper, secureClientPort alone means no plaintext port
        boolean plaintext = address == null || raw.string("clientPort") != null;
        if (unification && !plaintext) {
            throw new ConfigException("client.portUnification", "client.portUnification needs a clientPort to unify");
        }
        return new TlsConfig(address, plaintext, unification, settings);
    }

    static Settings settings(RawConfig raw, Scope scope) {
        String prefix = scope.prefix();
        Store keyStore = store(raw, prefix + "keyStore");
        if (keyStore == null) {
            throw new ConfigException(prefix + "keyStore.location", prefix + "keyStore.location is required for TLS"
                    + " (" + scope.enabledBy() + ")");
        }
        Store trustStore = store(raw, prefix + "trustStore");
        String authValue = value(raw, prefix + "clientAuth");
        ClientAuth auth = authValue == null ? ClientAuth.NEED : enumValue(ClientAuth.class, prefix + "clientAuth",
                authValue);
        String protocol = value(raw, prefix + "protocol");
        if (protocol == null) {
            protocol = "TLSv1.3";
        }
        String enabled = value(raw, prefix + "enabledProtocols");
        List<String> protocols = enabled != null ? list(enabled)
                : protocol.equals("TLSv1.3") ? List.of("TLSv1.3", "TLSv1.2") : List.of(protocol);
        String ciphers = value(raw, prefix + "ciphersuites");
        boolean hostnames = RawConfig.bool(value(raw, prefix + "hostnameVerification"), prefix
                + "hostnameVerification", true);
        boolean clientHostnames = RawConfig.bool(value(raw, prefix + "clientHostnameVerification"), prefix
                + "clientHostnameVerification", true);
        String providerValue = value(raw, prefix + "sslProvider");
        Provider provider = providerValue == null ? Provider.JDK
                : enumValue(Provider.class, prefix + "sslProvider", providerValue);
        String timeout = value(raw, prefix + "handshakeDetection.timeoutMillis");
        long timeoutMs = RawConfig.longValue(timeout, prefix + "handshakeDetection.timeoutMillis", 5000, 1,
                Long.MAX_VALUE);
        String superUser = scope.x509Identities() ? x509SuperUser(raw, prefix) : null;
        String reloadValue = scope.reloadAlias() == null ? raw.string(scope.reloadKey())
                : raw.string(scope.reloadKey(), scope.reloadAlias());
        boolean reload = RawConfig.bool(reloadValue, scope.reloadKey(), true);
        return new Settings(keyStore, trustStore, auth, protocol, protocols, ciphers == null ? null : list(ciphers),
                hostnames, clientHostnames, provider, timeoutMs, superUser, reload, prefix);
    }

    /** {@code X509AuthenticationProvider.superUser}, after checking that x509 is the TLS auth provider asked for. */
    private static String x509SuperUser(RawConfig raw, String prefix) {
        String authProvider = value(raw, prefix + "authProvider");
        if (authProvider != null && !authProvider.equals("x509")) {
            throw new ConfigException(prefix + "authProvider", prefix + "authProvider=" + authProvider
                    + " is not supported by Corral (only x509)");
        }
        return raw.string("X509AuthenticationProvider.superUser", "zookeeper.X509AuthenticationProvider.superUser");
    }

    /**
     * Without TLS on, an endpoint's keys serve nothing: each one given is warned about (not refused: nothing claims
     * TLS), so an operator who forgot {@code secureClientPort} or {@code sslQuorum} finds out.
     */
    static Settings unused(RawConfig raw, Scope scope) {
        List<String> keys = new java.util.ArrayList<>(ENDPOINT_KEYS);
        if (scope.x509Identities()) {
            keys.add("authProvider");
        }
        for (String suffix : keys) {
            if (value(raw, scope.prefix() + suffix) != null) {
                LOG.warn("{}{} is set but {}; ignored", scope.prefix(), suffix, scope.whenOff());
            }
        }
        return null;
    }

    /** {@code ssl.x} or its system-property spelling {@code zookeeper.ssl.x}. */
    private static String value(RawConfig raw, String key) {
        return raw.string(key, "zookeeper." + key);
    }

    private static Store store(RawConfig raw, String prefix) {
        String location = value(raw, prefix + ".location");
        String password = value(raw, prefix + ".password");
        String passwordPath = value(raw, prefix + ".passwordPath");
        String type = value(raw, prefix + ".type");
        if (location == null || location.isEmpty()) {
            return null;
        }
        if (password == null && passwordPath != null) {
            password = readPassword(prefix + ".passwordPath", Path.of(passwordPath));
        }
        Path path = Path.of(location).toAbsolutePath().normalize();
        return new Store(path, password == null ? new char[0] : password.toCharArray(),
                type == null ? typeFromName(prefix + ".type", path) : storeType(prefix + ".type", type));
    }

    private static String readPassword(String key, Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ConfigException(key, "Cannot read the password file " + file + " (" + key + "): " + e, e);
        }
    }

    /** ZooKeeper infers the type from the extension when none is given. */
    private static String typeFromName(String key, Path path) {
        String type = io.corral.client.ClientTls.Store.typeOf(path);
        if (type != null) {
            return type;
        }
        throw new ConfigException(key, "Cannot tell the type of " + path + " from its name; set " + key
                + " to PKCS12, JKS or PEM");
    }

    private static String storeType(String key, String type) {
        String t = type.toUpperCase(Locale.ROOT);
        if (!List.of("PKCS12", "JKS", "PEM").contains(t)) {
            throw ConfigException.invalid(key, type, "expected PKCS12, JKS or PEM");
        }
        return t;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String key, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(key, value, "expected one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Where TLS-only client connections are accepted, or null when there is no {@code secureClientPort}. */
    public InetSocketAddress secureClientAddress() { return secureClientAddress; }

    /** Whether clientPort is served: false when the file gives secureClientPort and no clientPort. */
    public boolean plaintextClientPort() { return plaintextClientPort; }

    /** Whether the plaintext client port also takes TLS connections ({@code client.portUnification}). */
    public boolean portUnification() { return portUnification; }

    /** The client side's TLS settings, or null when clients cannot use TLS. */
    public Settings client() { return client; }


}
