package io.corral.server.auth;

import io.corral.protocol.Id;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The authentication providers present by default ({@code digest} and {@code ip}): what an auth packet grants. */
public final class AuthProviders {
    public static final String IP = "ip";
    /** Scheme of a TLS client's certificate identity; granted by the handshake, never by an auth packet. */
    public static final String X509 = "x509";
    /** Scheme of the id that bypasses every ACL check. It has no provider: only a digest login can grant it. */
    public static final Id SUPER = new Id("super", "");

    private AuthProviders() {
    }

    /** The id every connection owns from the start, whether or not it ever authenticates. */
    public static Id ipId(String remoteIp) {
        return new Id(IP, remoteIp);
    }

    /**
     * Ids an auth packet adds to the connection, or null when no provider handles {@code scheme} (the caller then
     * answers AUTHFAILED and closes the connection).
     *
     * @param superDigest the configured {@code user:base64hash} super digest, or null when none is configured
     */
    public static List<Id> authenticate(String scheme, byte[] auth, String remoteIp, String superDigest) {
        if (DigestAuth.SCHEME.equals(scheme)) {
            // A null auth buffer is an empty login: digest auth never fails.
            String login = auth == null ? "" : new String(auth, StandardCharsets.UTF_8);
            Id id = new Id(DigestAuth.SCHEME, DigestAuth.digest(login));
            return id.id().equals(superDigest) ? List.of(id, SUPER) : List.of(id);
        }
        if (IP.equals(scheme)) {
            // The ip provider ignores the payload and just (re)asserts the address the connection comes from.
            return List.of(ipId(remoteIp));
        }
        return null;
    }
}
