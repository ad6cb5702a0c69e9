package io.corral.server.ops;

import io.corral.protocol.Id;
import io.corral.server.auth.AuthProviders;
import io.corral.server.tls.X509Identity;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Who sends an admin command, as ZooKeeper's AdminServer reads it: the header {@code Authorization: <scheme>
 * [<auth>]}, given to the same providers as a client's auth packet ({@code digest user:password}, with {@code super}
 * when it matches {@code DigestAuthenticationProvider.superDigest}; {@code ip}), or {@code x509} alone: the
 * identity of the certificate the HTTPS client presented (see {@code admin.needClientAuth}).
 */
final class AdminAuth {

    /** What the header gives: the ids, or the HTTP status and ZooKeeper's message when it gives none. */
    record Outcome(List<Id> ids, int status, String error) {
        boolean authenticated() {
            return ids != null;
        }
    }

    private AdminAuth() {
    }

    /** @param certificateIds the x509 ids of the connection's client certificate (empty: none, or no HTTPS) */
    static Outcome authenticate(String header, String remoteIp, String superDigest, List<Id> certificateIds) {
        if (header == null) {
            return new Outcome(null, 401, "Auth info is missing for the command");
        }
        String[] parts = header.split(" ");
        boolean fromTheConnection = parts[0].equals(X509Identity.SCHEME) || parts[0].equals("ip");
        if (parts.length > 2 || (parts.length == 1 && !fromTheConnection)) {
            return notAuthenticated(); // only x509 and ip take their identity from the connection alone
        }
        List<Id> ids = parts[0].equals(X509Identity.SCHEME) ? certificateIds
                : AuthProviders.authenticate(parts[0], parts.length == 2
                        ? parts[1].getBytes(StandardCharsets.UTF_8) : null, remoteIp, superDigest);
        return ids == null || ids.isEmpty() ? notAuthenticated() : new Outcome(ids, 200, null);
    }

    private static Outcome notAuthenticated() {
        return new Outcome(null, 401, "Not authenticated");
    }
}
