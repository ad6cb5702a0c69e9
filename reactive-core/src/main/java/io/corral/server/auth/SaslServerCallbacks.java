package io.corral.server.auth;

import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.AuthorizeCallback;
import javax.security.sasl.RealmCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callbacks of one connection's SASL server, as ZooKeeper's server answers them: DIGEST-MD5 users and passwords
 * from the JAAS section, and for every mechanism an authorization that maps the authenticated name to the
 * connection's {@code sasl} id ({@link KerberosName#authorizedId}). They only read memory, so a login step never
 * waits on them.
 */
public final class SaslServerCallbacks implements CallbackHandler {
    private static final Logger log = LoggerFactory.getLogger(SaslServerCallbacks.class);

    private final Map<String, String> credentials;
    private final String superPassword;
    private final String defaultRealm;
    private final boolean removeHost;
    private final boolean removeRealm;
    private String user;

    public SaslServerCallbacks(Map<String, String> credentials, String superPassword, String defaultRealm,
                        boolean removeHost, boolean removeRealm) {
        this.credentials = credentials;
        this.superPassword = superPassword;
        this.defaultRealm = defaultRealm;
        this.removeHost = removeHost;
        this.removeRealm = removeRealm;
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
                String id = KerberosName.authorizedId(authorize.getAuthenticationID(), defaultRealm, removeHost,
                        removeRealm);
                if (id == null) { // ZooKeeper logs this too; the id stays the client's authorization id
                    log.error("Failed to set name based on Kerberos authentication rules: no rule applies to {}",
                            authorize.getAuthenticationID());
                    continue;
                }
                log.info("Setting authorizedID: {}", id);
                authorize.setAuthorizedID(id);
            }
        }
    }
}
