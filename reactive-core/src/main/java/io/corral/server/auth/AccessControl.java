package io.corral.server.auth;

import io.corral.protocol.Acl;
import io.corral.protocol.Id;
import java.util.Collection;
import java.util.List;

/**
 * Decides whether a connection's ids grant a permission on a node's ACL, under the server's settings: {@code skipACL},
 * and ZooKeeper's {@code zookeeper.letAnySaslUserDoX} ({@code saslAnyUser}: a {@code sasl} entry with that id grants to
 * every connection that logged in with SASL; null: none does). One instance per server, shared by every check.
 */
public final class AccessControl {
    private final boolean skipAcl;
    private final String saslAnyUser;

    public AccessControl(boolean skipAcl, String saslAnyUser) {
        this.skipAcl = skipAcl;
        this.saslAnyUser = saslAnyUser;
    }

    /** Whether the connection with these ids may act (see {@link #permitted(List, int, Collection, boolean)}). */
    public boolean permits(List<Acl> acl, int perm, Collection<Id> connectionIds) {
        return permitted(acl, perm, connectionIds, skipAcl, saslAnyUser);
    }

    /**
     * Whether the connection may act. {@code perm} may combine bits (getACL asks for READ|ADMIN): an entry granting any
     * of them suffices. A null or empty ACL allows everything, as does any {@code super} id on the connection.
     */
    public static boolean permitted(List<Acl> acl, int perm, Collection<Id> connectionIds, boolean skipAcl) {
        return permitted(acl, perm, connectionIds, skipAcl, null);
    }

    private static boolean permitted(List<Acl> acl, int perm, Collection<Id> connectionIds, boolean skipAcl,
                                     String saslAnyUser) {
        if (skipAcl || acl == null || acl.isEmpty()) {
            return true;
        }
        for (Id id : connectionIds) {
            if (AuthProviders.SUPER.scheme().equals(id.scheme())) {
                return true;
            }
        }
        for (Acl entry : acl) {
            if ((entry.perms() & perm) != 0 && grants(entry.id(), connectionIds, saslAnyUser)) {
                return true;
            }
        }
        return false;
    }

    private static boolean grants(Id entry, Collection<Id> connectionIds, String saslAnyUser) {
        if (entry == null || entry.scheme() == null) {
            return false;
        }
        switch (entry.scheme()) {
            case AclValidator.WORLD:
                return Id.ANYONE.equals(entry);
            case DigestAuth.SCHEME:
            case AuthProviders.X509:
                for (Id id : connectionIds) {
                    if (entry.equals(id)) {
                        return true;
                    }
                }
                return false;
            case SaslLogins.SCHEME:
                for (Id id : connectionIds) {
                    if (SaslLogins.SCHEME.equals(id.scheme())
                            && (SaslLogins.matches(id.id(), entry.id()) || entry.id().equals(saslAnyUser))) {
                        return true;
                    }
                }
                return false;
            case AuthProviders.IP:
                for (Id id : connectionIds) {
                    if (AuthProviders.IP.equals(id.scheme()) && IpLiteral.matches(id.id(), entry.id())) {
                        return true;
                    }
                }
                return false;
            default:
                return false; // no provider for the scheme (auth, super, ...), so nothing can match it
        }
    }
}
