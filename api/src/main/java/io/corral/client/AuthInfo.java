package io.corral.client;

import java.nio.charset.StandardCharsets;

/** A credential sent with an auth packet: a scheme ("digest", ...) and its bytes. */
public record AuthInfo(String scheme, byte[] auth) {

    /** Digest credentials, {@code user:password}. */
    public static AuthInfo digest(String user, String password) {
        return new AuthInfo("digest", (user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
