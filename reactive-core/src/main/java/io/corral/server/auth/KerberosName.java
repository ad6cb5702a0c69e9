package io.corral.server.auth;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A name as ZooKeeper's server reads a SASL authentication id: a Kerberos principal {@code service[/host]@REALM}, or
 * a plain name without {@code @} (a DIGEST-MD5 user). It is what becomes the connection's {@code sasl} id, mapped as
 * ZooKeeper maps it with its DEFAULT {@code auth_to_local} rule: the short name is the service part when the realm
 * is the default realm of the Kerberos configuration; the host and the realm are then put back unless
 * {@code kerberos.removeHostFromPrincipal} / {@code kerberos.removeRealmFromPrincipal} say otherwise. A principal of
 * another realm has no short name, and ZooKeeper then keeps the whole name.
 */
record KerberosName(String service, String host, String realm) {
    private static final Pattern PRINCIPAL = Pattern.compile("([^/@]*)(/([^/@]*))?@([^/@]*)");

    /** Parses a name; an IllegalArgumentException for one with {@code @} that is no principal ({@code a@b@c}). */
    static KerberosName parse(String name) {
        Matcher m = PRINCIPAL.matcher(name);
        if (m.matches()) {
            return new KerberosName(m.group(1), m.group(3), m.group(4));
        }
        if (name.indexOf('@') >= 0) {
            throw new IllegalArgumentException("Malformed Kerberos name: " + name);
        }
        return new KerberosName(name, null, null);
    }

    /**
     * The id a login with authentication id {@code name} gets, or null when the DEFAULT rule gives it no short name
     * (a principal of another realm than {@code defaultRealm}); ZooKeeper then leaves the client's authorization id.
     * A malformed name is an IllegalArgumentException, which fails the login as in ZooKeeper.
     */
    static String authorizedId(String name, String defaultRealm, boolean removeHost, boolean removeRealm) {
        KerberosName parsed = parse(name);
        if (parsed.realm() != null && !parsed.realm().equals(defaultRealm)) {
            return null;
        }
        StringBuilder id = new StringBuilder(parsed.service());
        if (!removeHost && parsed.host() != null) {
            id.append('/').append(parsed.host());
        }
        if (!removeRealm && parsed.realm() != null) {
            id.append('@').append(parsed.realm());
        }
        return id.toString();
    }
}
