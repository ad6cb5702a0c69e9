package io.corral.server.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;

/**
 * Quorum SASL, with ZooKeeper's keys: servers authenticating each other with SASL DIGEST-MD5 on their peer links.
 * The server that dials (the higher id) is the learner of the link and logs in with the JAAS section
 * {@code quorum.auth.learner.saslLoginContext} ({@code QuorumLearner}: {@code username}, {@code password}); the one
 * that accepts is its server and checks it against the section {@code quorum.auth.server.saslLoginContext}
 * ({@code QuorumServer}: {@code user_<name>="<password>"}).
 *
 * <p>As in ZooKeeper: {@code quorum.auth.enableSasl} loads both sections (one missing stops start-up); a learner
 * authenticates only with {@code quorum.auth.learnerRequireSasl=true} (and then gives up a server that does not take
 * SASL), and a server refuses a learner that does not authenticate only with
 * {@code quorum.auth.serverRequireSasl=true}; each requirement needs {@code enableSasl}, and the server's needs the
 * learner's (the rolling upgrade: enable everywhere, then require on learners, then on servers). Kerberos (GSSAPI)
 * sections are refused by name: Corral's quorum SASL is DIGEST-MD5 only.
 */
public final class QuorumSaslConfig {
    static final String ENABLE = "quorum.auth.enableSasl";
    static final String LEARNER_REQUIRE = "quorum.auth.learnerRequireSasl";
    static final String SERVER_REQUIRE = "quorum.auth.serverRequireSasl";
    static final String LEARNER_CONTEXT = "quorum.auth.learner.saslLoginContext";
    static final String SERVER_CONTEXT = "quorum.auth.server.saslLoginContext";
    static final String SERVICE_PRINCIPAL = "quorum.auth.kerberos.servicePrincipal";

    /** Quorum SASL off: links are not authenticated. */
    public static final QuorumSaslConfig OFF = new QuorumSaslConfig(false, false, false, null, null, Map.of());

    private final boolean enabled;
    private final boolean learnerRequired;
    private final boolean serverRequired;
    private final String username;
    private final String password;
    private final Map<String, String> credentials;

    private QuorumSaslConfig(boolean enabled, boolean learnerRequired, boolean serverRequired, String username,
                             String password, Map<String, String> credentials) {
        this.enabled = enabled;
        this.learnerRequired = learnerRequired;
        this.serverRequired = serverRequired;
        this.username = username;
        this.password = password;
        this.credentials = credentials;
    }

    static QuorumSaslConfig parse(RawConfig raw, Properties system) {
        boolean enabled = raw.bool(ENABLE, false);
        boolean learnerRequired = raw.bool(LEARNER_REQUIRE, false);
        boolean serverRequired = raw.bool(SERVER_REQUIRE, false);
        String learnerContext = raw.string(LEARNER_CONTEXT);
        String serverContext = raw.string(SERVER_CONTEXT);
        raw.string(SERVICE_PRINCIPAL); // read: it names the Kerberos principal, which a DIGEST-MD5 section does not use
        if (!enabled && serverRequired) {
            throw new ConfigException(SERVER_REQUIRE, ENABLE + " is disabled, so cannot enable " + SERVER_REQUIRE);
        }
        if (!enabled && learnerRequired) {
            throw new ConfigException(LEARNER_REQUIRE, ENABLE + " is disabled, so cannot enable " + LEARNER_REQUIRE);
        }
        if (!learnerRequired && serverRequired) {
            throw new ConfigException(SERVER_REQUIRE, LEARNER_REQUIRE + " is disabled, so cannot enable "
                    + SERVER_REQUIRE);
        }
        if (!enabled) {
            return OFF;
        }
        Path path = SaslConfig.jaasPath(system);
        if (path == null) {
            throw new ConfigException(ENABLE, ENABLE + "=true needs a JAAS file (" + SaslConfig.JAAS_KEY
                    + ") with the sections of the quorum's logins");
        }
        Configuration jaas = SaslConfig.jaasFile(path);
        AppConfigurationEntry learner = digestSection(jaas, path, learnerContext == null ? "QuorumLearner"
                : learnerContext, LEARNER_CONTEXT);
        AppConfigurationEntry server = digestSection(jaas, path, serverContext == null ? "QuorumServer"
                : serverContext, SERVER_CONTEXT);
        Object username = learner.getOptions().get("username");
        Object password = learner.getOptions().get("password");
        if (username == null || password == null) {
            throw new ConfigException(LEARNER_CONTEXT, "The JAAS section '" + (learnerContext == null
                    ? "QuorumLearner" : learnerContext) + "' of " + path + " needs the options username and password");
        }
        Map<String, String> credentials = new LinkedHashMap<>();
        server.getOptions().forEach((option, value) -> {
            if (option.startsWith("user_")) {
                credentials.put(option.substring("user_".length()), String.valueOf(value));
            }
        });
        return new QuorumSaslConfig(true, learnerRequired, serverRequired, username.toString(), password.toString(),
                Collections.unmodifiableMap(credentials));
    }

    private static AppConfigurationEntry digestSection(Configuration jaas, Path path, String section, String key) {
        AppConfigurationEntry[] entries = jaas.getAppConfigurationEntry(section);
        if (entries == null || entries.length == 0) {
            throw new ConfigException(key, "SASL-authentication failed because the specified JAAS configuration "
                    + "section '" + section + "' could not be found (in " + path + ")");
        }
        if (entries.length != 1 || !entries[0].getLoginModuleName().equals(SaslConfig.DIGEST_LOGIN_MODULE)) {
            throw new ConfigException(key, "The JAAS section '" + section + "' of " + path + " must hold one "
                    + SaslConfig.DIGEST_LOGIN_MODULE + ": Corral's quorum SASL is DIGEST-MD5 only (Kerberos between "
                    + "servers is not implemented)");
        }
        return entries[0];
    }

    /** Whether the peer links take part in SASL at all ({@code quorum.auth.enableSasl}). */
    public boolean enabled() {
        return enabled;
    }

    /** Whether this server, dialing, authenticates and gives up a server that does not take SASL. */
    public boolean learnerRequired() {
        return learnerRequired;
    }

    /** Whether this server, accepting, refuses a learner that does not authenticate. */
    public boolean serverRequired() {
        return serverRequired;
    }

    /** The learner's user name (its JAAS section's {@code username}). */
    public String username() {
        return username;
    }

    /** The learner's password. */
    public String password() {
        return password;
    }

    /** The users a server accepts and their passwords (its JAAS section's {@code user_<name>} options). */
    public Map<String, String> credentials() {
        return credentials;
    }
}
