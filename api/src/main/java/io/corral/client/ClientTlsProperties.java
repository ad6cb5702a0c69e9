package io.corral.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * ZooKeeper's client TLS properties, with its names and defaults: {@code zookeeper.client.secure} (false) turns TLS
 * on, {@code zookeeper.ssl.keyStore.*} and {@code zookeeper.ssl.trustStore.*} ({@code location}, {@code password},
 * {@code passwordPath}, {@code type}) name the stores, {@code zookeeper.ssl.protocol}, {@code enabledProtocols},
 * {@code ciphersuites}, {@code hostnameVerification} (true) and {@code sslProvider} (JDK) tune it. The ones that
 * would change who is trusted and that Corral's client does not implement (a custom SSL context supplier, CRL and
 * OCSP checks, reverse DNS lookups) are refused by name, never ignored.
 */
public final class ClientTlsProperties {
    public static final String SECURE = "zookeeper.client.secure";
    private static final String SSL = "zookeeper.ssl.";
    /** Keys that change who is trusted, with the only value Corral's client can honour (empty: not set). */
    private static final Map<String, String> UNSUPPORTED = Map.of(
            SSL + "context.supplier.class", "",
            SSL + "crl", "false",
            SSL + "ocsp", "false",
            SSL + "allowReverseDnsLookup", "false");

    private ClientTlsProperties() {
    }

    /** The JVM's system properties, as ZooKeeper's client reads them. */
    public static ClientTls fromSystemProperties() {
        return read(System.getProperties());
    }

    /**
     * The TLS settings these properties ask for, or null when {@code zookeeper.client.secure} is not true.
     *
     * @throws IllegalArgumentException naming the property when a value is invalid or not supported
     */
    public static ClientTls read(Properties properties) {
        Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k)));
        return read(map);
    }

    public static ClientTls read(Map<String, String> p) {
        if (!bool(p, SECURE, false)) {
            return null;
        }
        UNSUPPORTED.forEach((key, allowed) -> {
            String v = p.get(key);
            if (v != null && !v.trim().equalsIgnoreCase(allowed)) {
                throw new IllegalArgumentException(key + "=" + v + " is not supported by Corral's client");
            }
        });
        ClientTls.Builder b = ClientTls.builder()
                .keyStore(store(p, SSL + "keyStore"))
                .trustStore(store(p, SSL + "trustStore"))
                .hostnameVerification(bool(p, SSL + "hostnameVerification", true))
                .openSsl(provider(p));
        String protocol = p.get(SSL + "protocol");
        if (protocol != null && !protocol.isBlank()) {
            b.protocol(protocol.trim());
        }
        String enabled = p.get(SSL + "enabledProtocols");
        if (enabled != null && !enabled.isBlank()) {
            b.enabledProtocols(list(enabled));
        }
        String ciphers = p.get(SSL + "ciphersuites");
        if (ciphers != null && !ciphers.isBlank()) {
            b.cipherSuites(list(ciphers));
        }
        return b.build();
    }

    private static boolean provider(Map<String, String> p) {
        String v = p.getOrDefault(SSL + "sslProvider", "JDK").trim().toUpperCase(Locale.ROOT);
        return switch (v) {
            case "JDK" -> false;
            case "OPENSSL" -> true;
            default -> throw new IllegalArgumentException(SSL + "sslProvider=" + v + ": expected JDK or OPENSSL");
        };
    }

    private static ClientTls.Store store(Map<String, String> p, String prefix) {
        String location = p.get(prefix + ".location");
        if (location == null || location.isBlank()) {
            return null;
        }
        String password = p.get(prefix + ".password");
        String passwordPath = p.get(prefix + ".passwordPath");
        if (password == null && passwordPath != null && !passwordPath.isBlank()) {
            try {
                password = Files.readString(Path.of(passwordPath.trim()), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + prefix + ".passwordPath " + passwordPath + ": "
                        + e, e);
            }
        }
        String type = p.get(prefix + ".type");
        try {
            return new ClientTls.Store(Path.of(location.trim()), password == null ? null : password.toCharArray(),
                    type == null || type.isBlank() ? null : type.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ".location/" + prefix + ".type: " + e.getMessage(), e);
        }
    }

    private static boolean bool(Map<String, String> p, String key, boolean fallback) {
        String v = p.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + "=" + v + ": expected true or false");
        };
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
