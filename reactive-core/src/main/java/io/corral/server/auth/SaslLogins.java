package io.corral.server.auth;

import io.corral.protocol.Id;
import io.corral.server.config.ConfigException;
import io.corral.server.config.SaslConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

/**
 * SASL logins as ZooKeeper's server runs them: one JDK {@link SaslServer} per connection, fed the client's tokens
 * from the SASL requests (opcode 102) until it completes; the connection then has the id
 * {@code sasl:<authorizationID>}, and also {@code super} when that id is one of {@code zookeeper.superUser}. With a
 * DIGEST-MD5 JAAS section the server is DIGEST-MD5 (protocol {@code zookeeper}, server name {@code zk-sasl-md5});
 * with a Kerberos one the server logs in with that section once, at start (a failed login stops start-up, as in
 * ZooKeeper), and each connection's server is GSSAPI, made inside {@code Subject.doAs} of that login with the
 * protocol and host of the server's principal {@code service/host@REALM}, so its acceptor credentials are the
 * login's keys (the steps then need no doAs, as in ZooKeeper).
 */
public final class SaslLogins {
    public static final String SCHEME = "sasl";
    private static final Logger log = LoggerFactory.getLogger(SaslLogins.class);

    private final SaslConfig config;
    private final String defaultRealm;
    /** The server's Kerberos login (GSSAPI), or null. */
    private final Subject kerberosLogin;

    /** Logs the server in when the section is Kerberos; a ConfigException naming the JAAS file when that fails. */
    public SaslLogins(SaslConfig config) {
        this.config = config;
        this.kerberosLogin = config.mechanism() == SaslConfig.Mechanism.GSSAPI ? logIn(config) : null;
        this.defaultRealm = config.loginOffered() ? defaultRealm() : ""; // no Kerberos lookups unless SASL is on
    }

    private static Subject logIn(SaslConfig config) {
        try {
            LoginContext login = new LoginContext(config.sectionName(), null, null, config.jaasConfiguration());
            login.login();
            log.info("Logged in with the JAAS section '{}' as {}: SASL GSSAPI logins offered", config.sectionName(),
                    config.servicePrincipal());
            return login.getSubject();
        } catch (LoginException e) {
            throw new ConfigException("java.security.auth.login.config", "The Kerberos login with the JAAS section '"
                    + config.sectionName() + "' as " + config.servicePrincipal() + " failed: " + e.getMessage(), e);
        }
    }

    /** The default realm of the JVM's Kerberos configuration, or "" without one (ZooKeeper's KerberosName). */
    private static String defaultRealm() {
        try {
            return new KerberosPrincipal("tmp", KerberosPrincipal.KRB_NT_PRINCIPAL).getRealm();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** Whether logins are offered at all (a JAAS server section); without, a SASL request gets an empty answer. */
    public boolean offered() {
        return config.loginOffered();
    }

    /** A new exchange for one connection. */
    public SaslServer newServer() throws SaslException {
        SaslServerCallbacks callbacks = new SaslServerCallbacks(config.credentials(), config.superPassword(),
                defaultRealm, config.removeHostFromPrincipal(), config.removeRealmFromPrincipal());
        if (kerberosLogin == null) {
            return Sasl.createSaslServer("DIGEST-MD5", "zookeeper", "zk-sasl-md5", null, callbacks);
        }
        String principal = config.servicePrincipal();
        String protocol = principal.substring(0, principal.indexOf('/'));
        String host = principal.substring(principal.indexOf('/') + 1, principal.indexOf('@'));
        try {
            return Subject.doAs(kerberosLogin, (PrivilegedExceptionAction<SaslServer>) () ->
                    Sasl.createSaslServer("GSSAPI", protocol, host, null, callbacks));
        } catch (PrivilegedActionException e) {
            throw e.getException() instanceof SaslException s ? s
                    : new SaslException("Cannot create the GSSAPI server", e.getException());
        }
    }

    /** The ids a completed exchange gives its connection. */
    public List<Id> idsOf(String authorizationId) {
        List<Id> ids = new ArrayList<>(2);
        ids.add(new Id(SCHEME, authorizationId));
        if (config.superUsers().contains(authorizationId)) {
            ids.add(AuthProviders.SUPER);
        }
        return ids;
    }

    /** Whether a failed login closes the session with SESSIONCLOSEDREQUIRESASLAUTH rather than AUTHFAILED. */
    public boolean required() {
        return config.saslRequired();
    }

    /** allowSaslFailedClients (and SASL not required): a failed login leaves the connection open. */
    public boolean keepsFailedClients() {
        return config.allowSaslFailedClients() && !config.saslRequired();
    }

    /** Whether a {@code sasl} ACL entry grants to a connection's {@code sasl} id: the same id, or {@code super}. */
    static boolean matches(String connectionId, String aclId) {
        return connectionId.equals("super") || connectionId.equals(aclId);
    }

    /**
     * Whether id is a valid {@code sasl} ACL id, as ZooKeeper's provider decides: a Kerberos-style name
     * {@code primary[/instance]@REALM}, or any name without {@code @}.
     */
    static boolean isValidId(String id) {
        try {
            KerberosName.parse(id);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
