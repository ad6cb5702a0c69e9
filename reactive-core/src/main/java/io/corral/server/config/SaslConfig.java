package io.corral.server.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.URIParameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;

/**
 * ZooKeeper's SASL settings. As in ZooKeeper, SASL logins are offered when the JAAS file named by the system property
 * {@code java.security.auth.login.config} has a {@code Server} section (another name with
 * {@code zookeeper.sasl.serverconfig}); the {@code sasl} ACL scheme exists when an {@code authProvider.N} names
 * {@code org.apache.zookeeper.server.auth.SASLAuthenticationProvider}. Only DIGEST-MD5 is implemented: a section with
 * ZooKeeper's DigestLoginModule and its {@code user_<name>="<password>"} options. A section that asks for Kerberos
 * (Krb5LoginModule) or any other login module stops start-up. {@code sessionRequireClientSASLAuth},
 * {@code enforce.auth.enabled} and {@code enforce.auth.schemes} close the session of a client that sends a request
 * before it authenticated with one of the schemes, as ZooKeeper 3.9 does.
 */
public final class SaslConfig {
    static final String PROVIDER = "org.apache.zookeeper.server.auth.SASLAuthenticationProvider";
    static final String DIGEST_LOGIN_MODULE = "org.apache.zookeeper.server.auth.DigestLoginModule";
    private static final String USER_PREFIX = "user_";
    private static final Pattern AUTH_PROVIDER = Pattern.compile("(zookeeper\\.)?authProvider\\..*");

    private final boolean providerEnabled;
    private final Map<String, String> credentials;
    private final Set<String> superUsers;
    private final String superPassword;
    private final Set<String> enforcedSchemes;

    private SaslConfig(boolean providerEnabled, Map<String, String> credentials, Set<String> superUsers,
                       String superPassword, Set<String> enforcedSchemes) {
        this.providerEnabled = providerEnabled;
        this.credentials = credentials;
        this.superUsers = superUsers;
        this.superPassword = superPassword;
        this.enforcedSchemes = enforcedSchemes;
    }

    /**
     * @param x509 whether the x509 scheme has a provider (TLS clients), for the check of enforce.auth.schemes
     * @param system the JVM's system properties (the JAAS file, its section name, the super users)
     */
    static SaslConfig parse(RawConfig raw, boolean x509, Properties system) {
        boolean provider = raw.matching(AUTH_PROVIDER).containsValue(PROVIDER);
        Map<String, String> credentials = credentials(system);
        Set<String> enforced = enforcedSchemes(raw);
        for (String scheme : enforced) {
            boolean available = switch (scheme) {
                case "digest", "ip" -> true;
                case "sasl" -> provider;
                case "x509" -> x509;
                default -> false;
            };
            if (!available) {
                throw new ConfigException("enforce.auth.schemes", "Authentication scheme " + scheme
                        + " is not available.");
            }
        }
        Set<String> superUsers = new LinkedHashSet<>();
        system.stringPropertyNames().forEach(k -> {
            if (k.equals("zookeeper.superUser") || k.startsWith("zookeeper.superUser.")) {
                superUsers.add(system.getProperty(k));
            }
        });
        return new SaslConfig(provider, credentials, Collections.unmodifiableSet(superUsers),
                system.getProperty("zookeeper.SASLAuthenticationProvider.superPassword"),
                Collections.unmodifiableSet(enforced));
    }

    /** The schemes a session must have authenticated with before its first request; empty when not enforced. */
    private static Set<String> enforcedSchemes(RawConfig raw) {
        Set<String> schemes = new LinkedHashSet<>();
        boolean requireSasl = RawConfig.bool(raw.string("sessionRequireClientSASLAuth",
                "zookeeper.sessionRequireClientSASLAuth"), "sessionRequireClientSASLAuth", false);
        boolean enabled = RawConfig.bool(raw.string("enforce.auth.enabled", "zookeeper.enforce.auth.enabled"),
                "enforce.auth.enabled", false);
        String listed = raw.string("enforce.auth.schemes", "zookeeper.enforce.auth.schemes");
        if (requireSasl) {
            schemes.add("sasl"); // as in ZooKeeper, it overrides the enforce.auth keys
            return schemes;
        }
        if (!enabled) {
            return schemes;
        }
        if (listed != null) {
            for (String scheme : listed.split(",")) {
                if (!scheme.trim().isEmpty()) {
                    schemes.add(scheme.trim());
                }
            }
        }
        if (schemes.isEmpty()) {
            throw new ConfigException("enforce.auth.schemes", "zookeeper.enforce.auth.enabled is true"
                    + " zookeeper.enforce.auth.schemes must be configured");
        }
        return schemes;
    }

    /**
     * The DIGEST-MD5 users of the JAAS server section, or null when SASL logins are not offered (no JAAS file, or no
     * such section in it).
     */
    private static Map<String, String> credentials(Properties system) {
        String file = system.getProperty("java.security.auth.login.config");
        String section = system.getProperty("zookeeper.sasl.serverconfig", "Server");
        if (file == null) {
            return null;
        }
        String key = "java.security.auth.login.config";
        Path path = Path.of(file.startsWith("=") ? file.substring(1) : file);
        if (!Files.isReadable(path)) {
            throw new ConfigException(key, "The JAAS file " + path + " (" + key + ") cannot be read");
        }
        AppConfigurationEntry[] entries;
        try {
            URI uri = path.toUri();
            entries = Configuration.getInstance("JavaLoginConfig", new URIParameter(uri))
                    .getAppConfigurationEntry(section);
        } catch (NoSuchAlgorithmException | SecurityException e) {
            throw new ConfigException(key, "Cannot read the JAAS file " + path + ": " + e.getMessage(), e);
        }
        if (entries == null) {
            return null;
        }
        Map<String, String> credentials = new LinkedHashMap<>();
        List<String> unsupported = new ArrayList<>();
        for (AppConfigurationEntry entry : entries) {
            if (!entry.getLoginModuleName().equals(DIGEST_LOGIN_MODULE)) {
                unsupported.add(entry.getLoginModuleName());
            }
            entry.getOptions().forEach((option, value) -> {
                if (option.startsWith(USER_PREFIX)) {
                    credentials.put(option.substring(USER_PREFIX.length()), String.valueOf(value));
                }
            });
        }
        if (!unsupported.isEmpty()) {
            throw new ConfigException(key, "The JAAS section '" + section + "' of " + path + " uses "
                    + String.join(", ", unsupported) + ": Corral offers SASL DIGEST-MD5 only (" + DIGEST_LOGIN_MODULE
                    + "); Kerberos (GSSAPI) is not supported");
        }
        return Collections.unmodifiableMap(credentials);
    }

    /** Whether the {@code sasl} ACL scheme has a provider. */
    public boolean providerEnabled() {
        return providerEnabled;
    }

    /** Whether clients can log in with SASL (DIGEST-MD5): the JAAS server section was found. */
    public boolean loginOffered() {
        return credentials != null;
    }

    /** DIGEST-MD5 user to password; empty when logins are not offered. */
    public Map<String, String> credentials() {
        return credentials == null ? Map.of() : credentials;
    }

    /** {@code zookeeper.superUser}: SASL identities that also get the super id. */
    public Set<String> superUsers() {
        return superUsers;
    }

    /** {@code zookeeper.SASLAuthenticationProvider.superPassword}: the password of the user {@code super}, or null. */
    public String superPassword() {
        return superPassword;
    }

    /** The schemes enforce.auth (or sessionRequireClientSASLAuth) asks for; empty when nothing is enforced. */
    public Set<String> enforcedSchemes() {
        return enforcedSchemes;
    }

    /** Whether a failed SASL login closes the session with SESSIONCLOSEDREQUIRESASLAUTH rather than AUTHFAILED. */
    public boolean saslRequired() {
        return enforcedSchemes.contains("sasl");
    }
}
