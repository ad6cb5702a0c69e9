package io.corral.server.config;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;

/**
 * The trimmed key/value pairs of a config file with typed, validating accessors. It remembers which keys were
 * read so that whatever is left over can be reported as unknown instead of being silently dropped.
 */
final class RawConfig {

    /** Keys of ZooKeeper features Corral does not have that change neither security nor durability. */
    private static final Set<String> ABSENT_FEATURE_KEYS = Set.of("quorumListenOnAllIPs");

    private final Map<String, String> values = new TreeMap<>(); // sorted: leftovers are reported in a stable order
    private final Set<String> read = new HashSet<>();

    RawConfig(Map<String, String> keys) {
        keys.forEach((k, v) -> {
            if (k != null && v != null) {
                values.put(k.trim(), v.trim());
            }
        });
    }

    /** The trimmed value, or null when the key is absent. */
    String string(String key) {
        read.add(key);
        return values.get(key);
    }

    /** A key that ZooKeeper also reads under an alias (usually its system-property name). */
    String string(String key, String alias) {
        String plain = string(key);
        String other = string(alias);
        if (plain != null && other != null && !plain.equals(other)) {
            throw new ConfigException(key, "Conflicting values for " + key + " ('" + plain + "') and " + alias
                    + " ('" + other + "')");
        }
        return plain != null ? plain : other;
    }

    /** Every key matching the pattern, in sorted order; they count as read. */
    Map<String, String> matching(Pattern pattern) {
        Map<String, String> found = new TreeMap<>();
        values.forEach((k, v) -> {
            if (pattern.matcher(k).matches()) {
                read.add(k);
                found.put(k, v);
            }
        });
        return found;
    }

    int intValue(String key, int defaultValue, int min, int max) {
        return (int) longValue(string(key), key, defaultValue, min, max);
    }

    long longValue(String key, long defaultValue, long min) {
        return longValue(string(key), key, defaultValue, min, Long.MAX_VALUE);
    }

    static long longValue(String value, String key, long defaultValue, long min, long max) {
        if (value == null) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(key, value, "not an integer");
        }
        if (parsed < min || parsed > max) {
            throw ConfigException.invalid(key, value, max == Long.MAX_VALUE || max == Integer.MAX_VALUE
                    ? "must be >= " + min
                    : "must be between " + min + " and " + max);
        }
        return parsed;
    }

    /** ZooKeeper writes its switches as yes/no; true/false are accepted too because people write those. */
    static boolean bool(String value, String key, boolean defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "yes": case "true": return true;
            case "no": case "false": return false;
            default: throw ConfigException.invalid(key, value, "expected yes/no or true/false");
        }
    }

    boolean bool(String key, boolean defaultValue) {
        return bool(string(key), key, defaultValue);
    }

    /**
     * Stops start-up on an unread security key ({@link SecurityKeys}), then warns about every other key nobody read,
     * so neither a missing security feature nor a typo goes unnoticed.
     */
    void reportUnread(Logger log) {
        Map<String, String> unread = new TreeMap<>(values);
        unread.keySet().removeAll(read);
        SecurityKeys.refuseUnimplemented(unread);
        for (Map.Entry<String, String> entry : unread.entrySet()) {
            String key = entry.getKey();
            if (SecurityKeys.isSecurityKey(key)) {
                log.info("Config key '{}' is off ('{}'), as Corral has it", key, entry.getValue());
            } else if (ABSENT_FEATURE_KEYS.contains(key)) {
                log.warn("Config key '{}' is for a ZooKeeper feature Corral does not have; ignored", key);
            } else {
                log.warn("Unknown config key '{}' ignored", key);
            }
        }
    }
}
