package io.corral.server.ops;

import io.corral.protocol.Id;
import io.corral.server.auth.AuthProviders;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Who sends an admin command, as ZooKeeper's AdminServer reads it: the header {@code Authorization: <scheme>
 * <auth>}, given to the same providers as a client's auth packet ({@code digest user:password}, with {@code super}
 * when it matches {@code DigestAuthenticationProvider.superDigest}; {@code ip}). The admin server has no TLS, so
 * there is no x509 identity here.
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

    static Outcome authenticate(String header, String remoteIp, String superDigest) {
        if (header == null) {
            return new Outcome(null, 401, "Auth info is missing for the command");
        }
        String[] parts = header.split(" ");
        if (parts.length != 2) {
            return notAuthenticated();
        }
        List<Id> ids = AuthProviders.authenticate(parts[0], parts[1].getBytes(StandardCharsets.UTF_8), remoteIp,
                superDigest);
        return ids == null || ids.isEmpty() ? notAuthenticated() : new Outcome(ids, 200, null);
    }

    private static Outcome notAuthenticated() {
        return new Outcome(null, 401, "Not authenticated");
    }
}
