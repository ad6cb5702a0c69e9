package io.corral.server.auth;

import io.corral.protocol.Id;
import io.corral.server.config.SaslConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.AuthorizeCallback;
import javax.security.sasl.RealmCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

/**
 * SASL logins as ZooKeeper's server runs them with a DIGEST-MD5 JAAS section: one JDK {@link SaslServer} per
 * connection (protocol {@code zookeeper}, server name {@code zk-sasl-md5}), fed the client's tokens from the SASL
 * requests (opcode 102) until it completes; the connection then has the id {@code sasl:<authorizationID>}, and also
 * {@code super} when that id is one of {@code zookeeper.superUser}. The callbacks only look up the in-memory user
 * table, so a login step never waits on anything.
 */
public final class SaslLogins {
    public static final String SCHEME = "sasl";
    private static final Logger log = LoggerFactory.getLogger(SaslLogins.class);

    private final SaslConfig config;

    public SaslLogins(SaslConfig config) {
        this.config = config;
    }

    /** Whether logins are offered at all (a JAAS server section); without, a SASL request gets an empty answer. */
    public boolean offered() {
        return config.loginOffered();
    }

    /** A new exchange for one connection. */
    public SaslServer newServer() throws SaslException {
        return Sasl.createSaslServer("DIGEST-MD5", "zookeeper", "zk-sasl-md5", null,
                new DigestCallbacks(config.credentials(), config.superPassword()));
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

    /** Whether a {@code sasl} ACL entry grants to a connection's {@code sasl} id: the same id, or {@code super}. */
    static boolean matches(String connectionId, String aclId) {
        return connectionId.equals("super") || connectionId.equals(aclId);
    }

    /**
     * Whether id is a valid {@code sasl} ACL id, as ZooKeeper's provider decides: a Kerberos-style name
     * {@code primary[/instance]@REALM}, or any name without {@code @}.
     */
    static boolean isValidId(String id) {
        return id.indexOf('@') < 0 || id.matches("[^/@]*(/[^/@]*)?@[^/@]*");
    }

    /** ZooKeeper's server callbacks for DIGEST-MD5: the JAAS section's users, authorized as themselves. */
    private static final class DigestCallbacks implements CallbackHandler {
        private final Map<String, String> credentials;
        private final String superPassword;
        private String user;

        DigestCallbacks(Map<String, String> credentials, String superPassword) {
            this.credentials = credentials;
            this.superPassword = superPassword;
        }

        @Override
        public void handle(Callback[] callbacks) {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    if (credentials.get(name.getDefaultName()) == null) {
                        log.warn("User '{}' not found in list of DIGEST-MD5 authenticateable users.",
                                name.getDefaultName());
                        continue;
                    }
                    name.setName(name.getDefaultName());
                    user = name.getDefaultName();
                } else if (callback instanceof PasswordCallback password) {
                    if ("super".equals(user) && superPassword != null) {
                        password.setPassword(superPassword.toCharArray());
                    } else if (user != null && credentials.containsKey(user)) {
                        password.setPassword(credentials.get(user).toCharArray());
                    } else {
                        log.warn("No password found for user: {}", user);
                    }
                } else if (callback instanceof RealmCallback realm) {
                    realm.setText(realm.getDefaultText());
                } else if (callback instanceof AuthorizeCallback authorize) {
                    log.info("Successfully authenticated client: authenticationID={};  authorizationID={}.",
                            authorize.getAuthenticationID(), authorize.getAuthorizationID());
                    authorize.setAuthorized(true);
                    authorize.setAuthorizedID(authorize.getAuthenticationID());
                }
            }
        }
    }
}
