package io.corral.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The {@code digest} scheme: how a {@code user:password} login becomes the id stored in ACLs. */
public final class DigestAuth {
    public static final String SCHEME = "digest";

    private DigestAuth() {
    }

    /**
     * {@code user:BASE64(SHA1(user:password))}. The hash covers the whole string; the user is everything before the
     * first ':' (the whole string when there is none, so a login never fails).
     */
    public static String digest(String userColonPassword) {
        int colon = userColonPassword.indexOf(':');
        String user = colon < 0 ? userColonPassword : userColonPassword.substring(0, colon);
        byte[] hash = sha1().digest(userColonPassword.getBytes(StandardCharsets.UTF_8));
        return user + ':' + Base64.getEncoder().encodeToString(hash);
    }

    /**
     * Whether {@code id} is acceptable as a digest ACL id. The reference accepts exactly one ':' once trailing colons
     * are ignored (so {@code a:b:} and {@code :b} pass, {@code a:} and {@code a:b:c} fail); we match it so that the
     * same setACL calls succeed and fail.
     */
    public static boolean isValidId(String id) {
        if (id == null) {
            return false;
        }
        int end = id.length();
        while (end > 0 && id.charAt(end - 1) == ':') {
            end--;
        }
        int first = id.indexOf(':');
        return first >= 0 && first < end && id.lastIndexOf(':', end - 1) == first;
    }

    // Logins are rare, so a fresh instance per call is cheaper to reason about than a cache.
    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-1", e);
        }
    }
}
