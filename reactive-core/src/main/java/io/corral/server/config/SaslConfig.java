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
 * {@code org.apache.zookeeper.server.auth.SASLAuthenticationProvider}. The section decides the mechanism as in
 * ZooKeeper: Kerberos (GSSAPI) when it has the JDK's Krb5LoginModule (the server logs in with it; its principal must be
 * {@code service/host@REALM}), DIGEST-MD5 otherwise, with ZooKeeper's DigestLoginModule and its
 * {@code user_<name>="<password>"} options; any other login module stops start-up. A Kerberos name becomes the
 * {@code sasl} id as ZooKeeper maps it ({@code kerberos.removeHostFromPrincipal},
 * {@code kerberos.removeRealmFromPrincipal}, the DEFAULT {@code zookeeper.security.auth_to_local} rule).
 * {@code sessionRequireClientSASLAuth}, {@code enforce.auth.enabled} and {@code enforce.auth.schemes} close the
 * session of a client that sends a request before it authenticated with one of the schemes, as ZooKeeper 3.9 does;
 * {@code allowSaslFailedClients} keeps a client whose login failed connected (unless SASL is required);
 * {@code letAnySaslUserDoX} names a {@code sasl} ACL id that every SASL login is granted.
 */
public final class SaslConfig {
    static final String JAAS_KEY = "java.security.auth.login.config";
    static final String PROVIDER = "org.apache.zookeeper.server.auth.SASLAuthenticationProvider";
    static final String DIGEST_LOGIN_MODULE = "org.apache.zookeeper.server.auth.DigestLoginModule";
    static final String KERBEROS_LOGIN_MODULE = "com.sun.security.auth.module.Krb5LoginModule";
    /** A service principal as ZooKeeper's server splits it into the SASL protocol and server name. */
    private static final Pattern SERVICE_PRINCIPAL = Pattern.compile("([^/@]+)/([^/@]+)@([^/@]+)");
    private static final String USER_PREFIX = "user_";
    private static final Pattern AUTH_PROVIDER = Pattern.compile("(zookeeper\\.)?authProvider\\..*");

    /** How clients log in: what the JAAS server section asks for. */
    public enum Mechanism { NONE, DIGEST_MD5, GSSAPI }

    private final boolean providerEnabled;
    private final ServerSection section;
    private final Set<String> superUsers;
    private final String superPassword;
    private final Set<String> enforcedSchemes;
    private final boolean removeHostFromPrincipal;
    private final boolean removeRealmFromPrincipal;
    private final boolean allowSaslFailedClients;
    private final String letAnySaslUserDoX;

    private SaslConfig(boolean providerEnabled, ServerSection section, Set<String> superUsers, String superPassword,
                       Set<String> enforcedSchemes, boolean removeHost, boolean removeRealm, boolean allowFailed,
                       String letAnySaslUserDoX) {
        this.providerEnabled = providerEnabled;
        this.section = section;
        this.superUsers = superUsers;
        this.superPassword = superPassword;
        this.enforcedSchemes = enforcedSchemes;
        this.removeHostFromPrincipal = removeHost;
        this.removeRealmFromPrincipal = removeRealm;
        this.allowSaslFailedClients = allowFailed;
        this.letAnySaslUserDoX = letAnySaslUserDoX;
    }

    /** The JAAS file the JVM names ({@code java.security.auth.login.config}), or null. */
    static Path jaasPath(Properties system) {
        String file = system.getProperty(JAAS_KEY);
        return file == null ? null : Path.of(file.startsWith("=") ? file.substring(1) : file);
    }

    /** The JAAS file, read; a ConfigException naming the key when it cannot be. */
    static Configuration jaasFile(Path path) {
        if (!Files.isReadable(path)) {
            throw new ConfigException(JAAS_KEY, "The JAAS file " + path + " (" + JAAS_KEY + ") cannot be read");
        }
        try {
            URI uri = path.toUri();
            return Configuration.getInstance("JavaLoginConfig", new URIParameter(uri));
        } catch (NoSuchAlgorithmException | SecurityException e) {
            throw new ConfigException(JAAS_KEY, "Cannot read the JAAS file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The JAAS server section: its mechanism, the DIGEST-MD5 users, and for Kerberos the configuration to log in
     * with and the server's principal.
     */
    private record ServerSection(Mechanism mechanism, Map<String, String> credentials, Configuration jaas,
                                 String name, String principal) {
        static final ServerSection NONE = new ServerSection(Mechanism.NONE, Map.of(), null, null, null);
    }

    /**
     * @param x509 whether the x509 scheme has a provider (TLS clients), for the check of enforce.auth.schemes
     * @param system the JVM's system properties (the JAAS file, its section name, the super users)
     */
    static SaslConfig parse(RawConfig raw, boolean x509, Properties system) {
        boolean provider = raw.matching(AUTH_PROVIDER).containsValue(PROVIDER);
        String sectionName = raw.string("sasl.serverconfig");
        ServerSection section = serverSection(system,
                sectionName != null ? sectionName : system.getProperty("zookeeper.sasl.serverconfig", "Server"));
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
        String rules = raw.string("security.auth_to_local", "zookeeper.security.auth_to_local");
        if (rules != null && !rules.equals("DEFAULT")) {
            throw new ConfigException("zookeeper.security.auth_to_local", "zookeeper.security.auth_to_local '"
                    + rules + "': Corral maps Kerberos names with the DEFAULT rule only");
        }
        return new SaslConfig(provider, section, Collections.unmodifiableSet(superUsers),
                system.getProperty("zookeeper.SASLAuthenticationProvider.superPassword"),
                Collections.unmodifiableSet(enforced),
                exactlyTrue(raw, "kerberos.removeHostFromPrincipal"),
                exactlyTrue(raw, "kerberos.removeRealmFromPrincipal"),
                allowSaslFailedClients(raw.string("allowSaslFailedClients", "zookeeper.allowSaslFailedClients")),
                raw.string("letAnySaslUserDoX", "zookeeper.letAnySaslUserDoX"));
    }

    /**
     * ZooKeeper turns these on for the value {@code true} exactly (its system property compared as a string); any
     * other value than {@code true} or {@code false} is refused here rather than read as off.
     */
    private static boolean exactlyTrue(RawConfig raw, String key) {
        String value = raw.string(key, "zookeeper." + key);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ConfigException.invalid(key, value, "expected true or false");
    }

    /** ZooKeeper reads it with Boolean.getBoolean: {@code true} in any case is on. */
    private static boolean allowSaslFailedClients(String value) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw ConfigException.invalid("allowSaslFailedClients", value, "expected true or false");
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
     * The JAAS server section {@code section} of the file {@code java.security.auth.login.config}, or NONE when SASL
     * logins are not offered (no JAAS file, or no such section in it).
     */
    private static ServerSection serverSection(Properties system, String section) {
        Path path = jaasPath(system);
        if (path == null) {
            return ServerSection.NONE;
        }
        String key = JAAS_KEY;
        Configuration jaas = jaasFile(path);
        AppConfigurationEntry[] entries = jaas.getAppConfigurationEntry(section);
        if (entries == null) {
            return ServerSection.NONE;
        }
        Map<String, String> credentials = new LinkedHashMap<>();
        List<String> unsupported = new ArrayList<>();
        String principal = null;
        boolean kerberos = false;
        for (AppConfigurationEntry entry : entries) {
            String module = entry.getLoginModuleName();
            if (module.equals(KERBEROS_LOGIN_MODULE)) {
                kerberos = true;
                Object option = entry.getOptions().get("principal");
                principal = option == null ? null : option.toString();
            } else if (!module.equals(DIGEST_LOGIN_MODULE)) {
                unsupported.add(module);
            }
            entry.getOptions().forEach((option, value) -> {
                if (option.startsWith(USER_PREFIX)) {
                    credentials.put(option.substring(USER_PREFIX.length()), String.valueOf(value));
                }
            });
        }
        if (!unsupported.isEmpty()) {
            throw new ConfigException(key, "The JAAS section '" + section + "' of " + path + " uses "
                    + String.join(", ", unsupported) + ": Corral offers SASL DIGEST-MD5 (" + DIGEST_LOGIN_MODULE
                    + ") and Kerberos (" + KERBEROS_LOGIN_MODULE + ") only");
        }
        if (!kerberos) {
            return new ServerSection(Mechanism.DIGEST_MD5, Collections.unmodifiableMap(credentials), jaas, section,
                    null);
        }
        if (principal == null || !SERVICE_PRINCIPAL.matcher(principal).matches()) {
            throw new ConfigException(key, "The JAAS section '" + section + "' of " + path + " needs the option"
                    + " principal=\"<service>/<host>@<REALM>\" for " + KERBEROS_LOGIN_MODULE + " (found "
                    + (principal == null ? "none" : "'" + principal + "'") + ")");
        }
        return new ServerSection(Mechanism.GSSAPI, Collections.unmodifiableMap(credentials), jaas, section,
                principal);
    }

    /** Whether the {@code sasl} ACL scheme has a provider. */
    public boolean providerEnabled() {
        return providerEnabled;
    }

    /** Whether clients can log in with SASL: the JAAS server section was found. */
    public boolean loginOffered() {
        return section.mechanism() != Mechanism.NONE;
    }

    /** What the JAAS server section asks for. */
    public Mechanism mechanism() {
        return section.mechanism();
    }

    /** DIGEST-MD5 user to password; empty when logins are not offered. */
    public Map<String, String> credentials() {
        return section.credentials();
    }

    /** The JAAS configuration holding the server section (for the Kerberos login), or null without one. */
    public Configuration jaasConfiguration() {
        return section.jaas();
    }

    /** The JAAS server section's name ({@code Server} unless {@code zookeeper.sasl.serverconfig} says otherwise). */
    public String sectionName() {
        return section.name();
    }

    /** The server's Kerberos principal {@code service/host@REALM}, or null unless the mechanism is GSSAPI. */
    public String servicePrincipal() {
        return section.principal();
    }

    /** {@code kerberos.removeHostFromPrincipal}: the sasl id of {@code a/host@R} leaves out {@code /host}. */
    public boolean removeHostFromPrincipal() {
        return removeHostFromPrincipal;
    }

    /** {@code kerberos.removeRealmFromPrincipal}: the sasl id of {@code a@R} leaves out {@code @R}. */
    public boolean removeRealmFromPrincipal() {
        return removeRealmFromPrincipal;
    }

    /**
     * {@code zookeeper.letAnySaslUserDoX}: a {@code sasl} ACL entry with this id grants to any connection that logged
     * in with SASL; null when not set.
     */
    public String letAnySaslUserDoX() {
        return letAnySaslUserDoX;
    }

    /** {@code allowSaslFailedClients}: a failed login leaves the connection open, unauthenticated. */
    public boolean allowSaslFailedClients() {
        return allowSaslFailedClients;
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
