package io.corral.server.auth;

import io.corral.protocol.Acl;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.Id;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Turns an ACL list sent by a client into the list to store, and hides digest hashes from mere readers. */
public final class AclValidator {
    static final String WORLD = "world";
    static final String AUTH = "auth";

    /** From a ':' to the end of its line: {@code .} stops at line terminators, as the reference's redaction does. */
    private static final Pattern SECRET = Pattern.compile(":.*");

    private AclValidator() {
    }

    /**
     * The list to store for {@code requested}, in order. Duplicates in the request are dropped first; each
     * {@code auth} entry (its id is ignored) then becomes one entry per digest id of the connection with the same
     * perms. As in the reference, the expansion itself is not de-duplicated again. Perms are not checked.
     *
     * @throws InvalidAclException when the list is null or empty, or has an entry that is not world:anyone, a valid
     *     digest or ip id, or an auth entry on a connection without a digest or x509 id ({@code ip} and {@code super}
     *     do not count: they are not ids a user authenticated for)
     */
    public static List<Acl> fixup(List<Acl> requested, Collection<Id> connectionIds) {
        return fixup(requested, connectionIds, false);
    }

    /**
     * As {@link #fixup(List, Collection)}, with the {@code x509} scheme's provider present when {@code x509} (the
     * server takes TLS clients): {@code x509:<DN>} entries are then valid, and {@code auth} expands to the
     * connection's x509 ids too. Without it, x509 entries have no provider, as in a ZooKeeper without
     * {@code authProvider.x509}.
     */
    public static List<Acl> fixup(List<Acl> requested, Collection<Id> connectionIds, boolean x509) {
        return fixup(requested, connectionIds, x509, false);
    }

    /**
     * As {@link #fixup(List, Collection, boolean)}, with the {@code sasl} scheme's provider present when {@code sasl}
     * ({@code authProvider.N} names ZooKeeper's SASLAuthenticationProvider): {@code sasl:<name>} entries are then
     * valid, and {@code auth} expands to the connection's sasl ids too.
     */
    public static List<Acl> fixup(List<Acl> requested, Collection<Id> connectionIds, boolean x509, boolean sasl) {
        if (requested == null || requested.isEmpty()) {
            throw new InvalidAclException("ACL list is empty");
        }
        List<Acl> stored = new ArrayList<>(requested.size());
        for (Acl entry : new LinkedHashSet<>(requested)) {
            Id id = entry == null ? null : entry.id();
            if (id == null || id.scheme() == null) {
                throw new InvalidAclException("ACL entry without scheme: " + entry);
            }
            // the auth scheme ignores its id, which kazoo sends as a null string; the other known schemes fail on one
            if (id.id() == null && !AUTH.equals(id.scheme())) {
                boolean known = switch (id.scheme()) {
                    case WORLD, DigestAuth.SCHEME, AuthProviders.IP -> true;
                    case AuthProviders.X509 -> x509;
                    case SaslLogins.SCHEME -> sasl;
                    default -> false;
                };
                throw known ? new InvalidAclException("null id: " + entry, ErrorCode.MARSHALLING_ERROR)
                        : new InvalidAclException("no provider for scheme: " + entry);
            }
            switch (id.scheme()) {
                case WORLD -> require(Id.ANYONE.equals(id), entry);
                case DigestAuth.SCHEME -> require(DigestAuth.isValidId(id.id()), entry);
                case AuthProviders.IP -> require(IpLiteral.isValidAclId(id.id()), entry);
                case AuthProviders.X509 -> {
                    if (!x509) {
                        throw new InvalidAclException("no provider for scheme: " + entry);
                    }
                    require(!id.id().isEmpty(), entry);
                }
                case SaslLogins.SCHEME -> {
                    if (!sasl) {
                        throw new InvalidAclException("no provider for scheme: " + entry);
                    }
                    require(SaslLogins.isValidId(id.id()), entry);
                }
                case AUTH -> {
                    int before = stored.size();
                    for (Id own : connectionIds) {
                        if (DigestAuth.SCHEME.equals(own.scheme())
                                || (x509 && AuthProviders.X509.equals(own.scheme()))
                                || (sasl && SaslLogins.SCHEME.equals(own.scheme()))) {
                            stored.add(new Acl(entry.perms(), own));
                        }
                    }
                    require(stored.size() > before, entry);
                    continue;
                }
                default -> throw new InvalidAclException("no provider for scheme: " + entry);
            }
            stored.add(entry);
        }
        return List.copyOf(stored);
    }

    /**
     * {@code acl} as shown to a getACL caller without ADMIN: every digest id {@code user:hash} reads {@code user:x},
     * so readers learn who has access but not the hash they could attack offline.
     */
    public static List<Acl> redactForReader(List<Acl> acl) {
        if (acl == null) {
            return null;
        }
        List<Acl> shown = new ArrayList<>(acl.size());
        for (Acl entry : acl) {
            Id id = entry.id();
            if (id != null && DigestAuth.SCHEME.equals(id.scheme()) && id.id() != null) {
                entry = new Acl(entry.perms(), new Id(id.scheme(), SECRET.matcher(id.id()).replaceAll(":x")));
            }
            shown.add(entry);
        }
        return List.copyOf(shown);
    }

    private static void require(boolean valid, Acl entry) {
        if (!valid) {
            throw new InvalidAclException("invalid ACL entry: " + entry);
        }
    }
}
