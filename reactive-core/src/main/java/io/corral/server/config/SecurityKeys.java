package io.corral.server.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * ZooKeeper's keys that decide who may connect, what is protected or what is recorded. When such a key is left
 * unread (Corral does not implement what it asks for), start-up stops naming it: a server that quietly ignores a
 * security setting runs less secure than its operator believes. A switch set to its off value ({@code false},
 * {@code no}) asks for nothing and is accepted.
 */
final class SecurityKeys {
    private static final List<String> PREFIXES = List.of(
            "authprovider.", "enforce.auth.", "quorum.auth.", "ssl.", "zookeeper.ssl.", "zookeeper.authprovider.",
            "x509", "zookeeper.x509", "digestauthenticationprovider.", "zookeeper.digestauthenticationprovider.");
    private static final List<String> WORDS = List.of("sasl", "kerberos", "jaas");
    private static final List<String> KEYS = List.of(
            "audit.enable", "sslquorum", "requireclientauthscheme", "secureclientport", "secureclientportaddress",
            "client.portunification", "portunification", "serverCnxnFactory".toLowerCase(Locale.ROOT));

    private SecurityKeys() {
    }

    static boolean isSecurityKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return KEYS.contains(k) || PREFIXES.stream().anyMatch(k::startsWith) || WORDS.stream().anyMatch(k::contains);
    }

    /** Whether the value leaves the feature off, so ignoring the key changes nothing. */
    static boolean isOff(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        return v.equals("false") || v.equals("no");
    }

    /** Throws naming every unread security key that asks for something; {@code unread} maps key to value. */
    static void refuseUnimplemented(Map<String, String> unread) {
        Map<String, String> refused = new TreeMap<>();
        unread.forEach((key, value) -> {
            if (isSecurityKey(key) && !isOff(value)) {
                refused.put(key, value);
            }
        });
        if (!refused.isEmpty()) {
            String first = refused.keySet().iterator().next();
            boolean quorumSasl = refused.keySet().stream().anyMatch(k -> k.toLowerCase(Locale.ROOT)
                    .startsWith("quorum.auth."));
            throw new ConfigException(first, "Security setting" + (refused.size() > 1 ? "s " : " ")
                    + String.join(", ", refused.keySet()) + (refused.size() > 1 ? " are" : " is")
                    + " not supported by Corral; refusing to start rather than run without "
                    + (refused.size() > 1 ? "them" : "it") + " (remove the key to run without the feature)"
                    + (quorumSasl ? ". Corral's quorum SASL reads quorum.auth.enableSasl, learnerRequireSasl,"
                    + " serverRequireSasl, learner.saslLoginContext, server.saslLoginContext and"
                    + " kerberos.servicePrincipal" : ""));
        }
    }
}
